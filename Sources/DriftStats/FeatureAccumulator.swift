import DriftCore

/// Everything one window knows about one feature, before its type is settled.
///
/// Numbers and categories are accumulated side by side; at window close the feature's type decides which
/// are its values and which are invalid (DESIGN §2: a value of the wrong type is invalid for the feature).
/// Keeping both makes partials mergeable without agreeing on the type first.
public struct FeatureAccumulator: Hashable, Sendable, Codable {
    public var numeric = NumericAccumulator()
    public var categorical: CategoricalAccumulator
    /// Objects and arrays: invalid whatever the type. (Nulls and absences are missing: counted by difference
    /// at close, as the window's records minus valid and invalid values.)
    public private(set) var structured: Int = 0
    /// Records with values of a multi-valued feature (`tags[]`), whose `count` is its elements.
    public private(set) var listed: Int = 0

    /// Counts on the reference's bins (numeric deciles or categories plus `other`); empty without a reference.
    public var bins: [Int] = []
    /// Numeric values outside the reference's [min, max].
    public private(set) var outOfRange = 0
    /// Categorical values the reference never saw.
    public private(set) var unseen = 0
    /// With `output.profiles`: the distinct numbers and texts in DataSketches' HLL_8 (DESIGN §6), hashed as
    /// DataSketches hashes them so that instances' sketches merge. Nil (no cost) otherwise.
    public var numberHLL: HLL8Sketch?
    public var textHLL: HLL8Sketch?

    public init(binCount: Int = 0, topCapacity: Int = HeavyHitters.defaultCapacity) {
        bins = [Int](repeating: 0, count: binCount)
        categorical = CategoricalAccumulator(topCapacity: topCapacity)
    }

    /// Counts a value in reference bin `bin` (a bin the accumulator does not have is not counted: a window
    /// continued from a checkpoint taken with another reference).
    public mutating func countBin(_ bin: Int, outOfRange: Bool = false, unseen: Bool = false) {
        guard bin < bins.count else { return }
        bins[bin] += 1
        if outOfRange { self.outOfRange += 1 }
        if unseen { self.unseen += 1 }
    }

    /// Starts the bin counts over on `count` bins, when the reference changed under an open window (a restart
    /// with a rebuilt reference): its drift is then measured on the values counted since.
    public mutating func resetBins(count: Int) {
        bins = [Int](repeating: 0, count: count)
    }

    @inlinable public mutating func addNumber(_ x: Double) { numeric.add(x) }
    public mutating func addCategory(_ value: String) { categorical.add(value) }
    public mutating func addCategory(bytes: UnsafeRawBufferPointer) { categorical.add(bytes: bytes) }
    /// Adds a category to the categorical log (``CategoricalAccumulator/log(bytes:)``).
    public mutating func logCategory(bytes: UnsafeRawBufferPointer) { categorical.log(bytes: bytes) }

    /// Starts the sketches of mergeable profiles (``numberHLL``, ``textHLL``).
    public mutating func keepProfile() {
        numberHLL = HLL8Sketch()
        textHLL = HLL8Sketch()
    }
    public mutating func addStructured() { structured += 1 }
    /// Applies the categorical values still logged (``CategoricalAccumulator/settle()``): at close, once.
    public mutating func settle() { categorical.settle() }
    public mutating func addListed() { listed += 1 }

    public mutating func merge(_ other: FeatureAccumulator) {
        numeric.merge(other.numeric)
        categorical.merge(other.categorical)
        structured += other.structured
        listed += other.listed
        HLL8Sketch.merge(other.numberHLL, into: &numberHLL)
        HLL8Sketch.merge(other.textHLL, into: &textHLL)
        outOfRange += other.outOfRange
        unseen += other.unseen
        if bins.isEmpty {
            bins = other.bins
        } else {
            for i in other.bins.indices { bins[i] += other.bins[i] }
        }
    }

    /// The type the values themselves suggest: the kind with more values, numbers on a tie; nil with none.
    public var observedType: FeatureType? {
        if numeric.count == 0 && categorical.count == 0 { return nil }
        return numeric.count >= categorical.count ? .numeric : .categorical
    }

    /// Values of any type (nulls are not values): a feature with none was not seen in the window, only named.
    public var values: Int { numeric.count + categorical.count + structured }

    /// Values of the right type for `type`.
    public func count(as type: FeatureType) -> Int {
        type == .numeric ? numeric.count : categorical.count
    }

    /// Records of a window of `records` with no value: null or absent; for a multi-valued feature (`tags[]`, whose
    /// `count` is elements), the records without an element.
    public func missing(as type: FeatureType, records: Int) -> Int {
        listed > 0 ? records - listed : records - count(as: type) - invalid(as: type)
    }

    /// Values of the wrong type for `type`, objects and arrays included.
    public func invalid(as type: FeatureType) -> Int {
        structured + (type == .numeric ? categorical.count : numeric.count)
    }
}

extension FeatureAccumulator {
    private enum CodingKeys: String, CodingKey {
        case numeric, categorical, structured, listed, bins, outOfRange, unseen, numberHLL, textHLL
    }

    /// Checkpoints written before multi-valued features have no `listed`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numeric = try c.decode(NumericAccumulator.self, forKey: .numeric)
        categorical = try c.decode(CategoricalAccumulator.self, forKey: .categorical)
        structured = try c.decode(Int.self, forKey: .structured)
        listed = try c.decodeIfPresent(Int.self, forKey: .listed) ?? 0
        bins = try c.decode([Int].self, forKey: .bins)
        outOfRange = try c.decode(Int.self, forKey: .outOfRange)
        unseen = try c.decode(Int.self, forKey: .unseen)
        numberHLL = try c.decodeIfPresent(HLL8Sketch.self, forKey: .numberHLL)
        textHLL = try c.decodeIfPresent(HLL8Sketch.self, forKey: .textHLL)
    }
}
