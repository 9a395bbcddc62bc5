import DriftCore

/// Turns one JSON line into a ``Record`` following a ``RecordSchema``. Pure; one mapper per parsing thread.
public struct RecordMapper: Sendable {
    private struct Path: Sendable {
        let text: String
        let components: [[UInt8]]
        init(_ text: String) {
            self.text = text
            components = text.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        }
    }

    /// Feature names longer than this are ignored (they would make metric lines unbounded).
    public static let maxFeatureNameBytes = 256

    private let timestamp: Path
    private let model: Path
    private let featureObject: Path?
    private let featureList: [Path]
    private let prediction: Path?
    private let actual: Path?
    private let defaultModel: String
    private var tape = JSONTape()

    public init(schema: RecordSchema) {
        timestamp = Path(schema.timestamp)
        model = Path(schema.model)
        switch schema.features {
        case .object(let path):
            featureObject = Path(path)
            featureList = []
        case .list(let paths):
            featureObject = nil
            featureList = paths.map(Path.init)
        }
        prediction = schema.prediction.map(Path.init)
        actual = schema.actual.map(Path.init)
        defaultModel = schema.defaultModel
    }

    /// Maps `line` into `record` (its storage reused).
    /// - Returns: nil on success, or why the line is rejected.
    public mutating func map(_ line: UnsafeRawBufferPointer, into record: inout Record) -> RejectReason? {
        do {
            try tape.parse(line)
        } catch {
            return .invalidJSON(error.description)
        }
        guard tape[0].kind == .object else { return .notAnObject }
        guard let tsIndex = find(timestamp, in: line), let time = eventTime(at: tsIndex, in: line) else {
            if let tsIndex = find(timestamp, in: line), tape[tsIndex].kind != .null {
                return .badTimestamp(tape.rawText(at: tsIndex, in: line))
            }
            return .noTimestamp
        }
        record.time = time
        record.model = modelName(in: line)
        record.values.removeAll(keepingCapacity: true)
        record.predictedLabel = nil
        record.predictedValue = nil
        record.actualLabel = nil
        record.actualValue = nil
        if let featureObject, let index = find(featureObject, in: line), tape[index].kind == .object {
            tape.forEachMember(ofObjectAt: index) { key, value in
                let keyLength = Int(tape[key].end - tape[key].start)
                guard keyLength <= Self.maxFeatureNameBytes else { return }
                record.values.append((tape.string(at: key, in: line), featureValue(at: value, in: line)))
            }
        }
        for path in featureList {
            if let index = find(path, in: line) { record.values.append((path.text, featureValue(at: index, in: line))) }
        }
        if let prediction { appendProfiled(prediction, name: "prediction", in: line, to: &record) }
        if let actual { appendProfiled(actual, name: "actual", in: line, to: &record) }
        setOutcome(&record)
        return nil
    }

    /// An object's members become `name.<key>`; a scalar becomes `name`.
    private func appendProfiled(_ path: Path, name: String, in line: UnsafeRawBufferPointer, to record: inout Record) {
        guard let index = find(path, in: line) else { return }
        if tape[index].kind == .object {
            tape.forEachMember(ofObjectAt: index) { key, value in
                let keyLength = Int(tape[key].end - tape[key].start)
                guard keyLength <= Self.maxFeatureNameBytes else { return }
                record.values.append((name + "." + tape.string(at: key, in: line), featureValue(at: value, in: line)))
            }
        } else {
            record.values.append((name, featureValue(at: index, in: line)))
        }
    }

    /// Picks the prediction and the actual out of the profiled values (appended last), for the window's
    /// performance.
    private func setOutcome(_ record: inout Record) {
        var valueRank = Int.max  // prefer prediction.value, then prediction.score, then a scalar prediction
        for (name, value) in record.values.reversed() {
            guard name == "actual" || name.hasPrefix("prediction") else { break }
            switch (name, value) {
            case ("actual", .category(let s)): record.actualLabel = s
            case ("actual", .number(let x)): record.actualValue = x
            case ("prediction", .category(let s)), ("prediction.label", .category(let s)): record.predictedLabel = s
            case ("prediction.value", .number(let x)) where valueRank > 0: (record.predictedValue, valueRank) = (x, 0)
            case ("prediction.score", .number(let x)) where valueRank > 1: (record.predictedValue, valueRank) = (x, 1)
            case ("prediction", .number(let x)) where valueRank > 2: (record.predictedValue, valueRank) = (x, 2)
            default: break
            }
        }
    }

    private func find(_ path: Path, in line: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        for component in path.components {
            guard let next = tape.member(component, ofObjectAt: index, in: line) else { return nil }
            index = next
        }
        return index
    }

    private func modelName(in line: UnsafeRawBufferPointer) -> String {
        guard let index = find(model, in: line) else { return defaultModel }
        switch tape[index].kind {
        case .string: return tape.string(at: index, in: line)
        case .number, .true, .false: return tape.rawText(at: index, in: line)
        default: return defaultModel
        }
    }

    private func featureValue(at index: Int, in line: UnsafeRawBufferPointer) -> FeatureValue {
        let token = tape[index]
        switch token.kind {
        case .number: return .number(token.number)
        case .string: return .category(tape.string(at: index, in: line))
        case .true: return .category("true")
        case .false: return .category("false")
        case .null: return .null
        case .object, .array: return .structured
        }
    }

    /// The value of a number written as a plain integer that fits in 64 bits, exactly; nil otherwise.
    private static func integer(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let negative = raw.first == UInt8(ascii: "-")
        let digits = negative ? UnsafeRawBufferPointer(rebasing: raw.dropFirst()) : raw
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        var v: Int64 = 0
        for c in digits {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (times10, o1) = v.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(c - 0x30))
            guard !o1, !o2 else { return nil }
            v = sum
        }
        return negative ? -v : v
    }

    private func eventTime(at index: Int, in line: UnsafeRawBufferPointer) -> EventTime? {
        let token = tape[index]
        switch token.kind {
        case .string:
            if token.escaped { return EventTime(rfc3339: tape.string(at: index, in: line)) }
            return EventTime(rfc3339: UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]))
        case .number:
            let raw = UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])
            if let integer = Self.integer(raw) { return EventTime(epochInteger: integer) }
            return EventTime(epoch: token.number)
        default:
            return nil
        }
    }
}
