import DriftCore

/// A deterministic generator for test data: the project's SplitMix64, under the name the tests use.
public typealias SeededGenerator = SplitMix64
