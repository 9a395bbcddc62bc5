extension PerformanceAccumulator {
    private enum CodingKeys: String, CodingKey {
        case classified, correct, regressed, absoluteError, squaredError
        case truePositives, falsePositives, trueNegatives, falseNegatives, notBinary, roc
    }

    /// Checkpoints written before the confusion matrix and ROC AUC were kept read as windows without them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classified = try c.decode(Int.self, forKey: .classified)
        correct = try c.decode(Int.self, forKey: .correct)
        regressed = try c.decode(Int.self, forKey: .regressed)
        absoluteError = try c.decode(Double.self, forKey: .absoluteError)
        squaredError = try c.decode(Double.self, forKey: .squaredError)
        truePositives = try c.decodeIfPresent(Int.self, forKey: .truePositives) ?? 0
        falsePositives = try c.decodeIfPresent(Int.self, forKey: .falsePositives) ?? 0
        trueNegatives = try c.decodeIfPresent(Int.self, forKey: .trueNegatives) ?? 0
        falseNegatives = try c.decodeIfPresent(Int.self, forKey: .falseNegatives) ?? 0
        notBinary = try c.decodeIfPresent(Int.self, forKey: .notBinary) ?? 0
        roc = try c.decodeIfPresent(ROCCurve.self, forKey: .roc) ?? ROCCurve()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classified, forKey: .classified)
        try c.encode(correct, forKey: .correct)
        try c.encode(regressed, forKey: .regressed)
        try c.encode(absoluteError, forKey: .absoluteError)
        try c.encode(squaredError, forKey: .squaredError)
        if binary + notBinary > 0 {
            try c.encode(truePositives, forKey: .truePositives)
            try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(trueNegatives, forKey: .trueNegatives)
            try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(notBinary, forKey: .notBinary)
        }
        if roc.count > 0 { try c.encode(roc, forKey: .roc) }
    }
}
