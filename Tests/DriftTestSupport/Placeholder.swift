public enum DriftTestSupportPlaceholder {}
