import DriftCore

/// Turns one JSON line into a ``Record`` following a ``RecordSchema``. Pure; one mapper per parsing thread.
public struct RecordMapper: Sendable {
    /// A dotted path of the schema: its components are ranges of ``pathBytes`` (listed in ``pathComponents``),
    /// so that looking one up per record touches no reference-counted storage per component.
    struct Path: Sendable {
        let text: String
        /// Indices into `pathComponents`.
        let components: Range<Int>
    }

    /// The bytes of every path component, and each component's range of them.
    var pathBytes: [UInt8] = []
    var pathComponents: [Range<Int>] = []

    static func path(_ text: String, _ bytes: inout [UInt8], _ components: inout [Range<Int>]) -> Path {
        let first = components.count
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let start = bytes.count
            bytes.append(contentsOf: part.utf8)
            components.append(start..<bytes.count)
        }
        return Path(text: text, components: first..<components.count)
    }

    /// Feature names longer than this are ignored (they would make metric lines unbounded).
    public static let maxFeatureNameBytes = 256
    /// Members whose names were ignored (empty, or longer than ``maxFeatureNameBytes``), counted for the caller.
    public internal(set) var ignoredNames = 0

    let timestamp: Path
    let model: Path
    let featureObject: Path?
    let featureList: [Path]
    let prediction: Path?
    let actual: Path?
    let defaultModel: String
    let modelVersion: Path?
    let requestID: Path?
    /// A model's name and version joined (``ModelKey``), built here for each record that has a version.
    var modelKey: [UInt8] = []
    let timezone: LocalTimeZone?
    let timestampFormat: TimestampFormat?
    /// The local minute whose offset `zoneOffset` is (seconds east of UTC).
    var zoneMinute = Int64.min
    var zoneOffset: Int64 = 0
    /// How many levels of nested objects in the features object are flattened to dotted names.
    let flattenDepth: Int
    /// `schema.types`, and what it says of each feature id so far (filled as names are interned).
    let typeOverrides: [String: FeatureType]
    let hasTypeOverrides: Bool
    var overrides: [FeatureType?] = []
    /// Where a string of a numeric feature is read as a number.
    var numberTape = JSONTape()
    var tape = JSONTape()
    /// Feature names, by id. The names the outcome looks for come first, at fixed ids.
    public internal(set) var features = NameInterner()
    /// Model names, by id.
    public private(set) var models = NameInterner()
    static let outcomeNames = [
        "actual", "prediction", "prediction.label", "prediction.value", "prediction.score",
    ]
    static let actualID: Int32 = 0
    static let predictionID: Int32 = 1
    static let labelID: Int32 = 2
    static let valueID: Int32 = 3
    static let scoreID: Int32 = 4
    /// The ids the last record had at each key position: records of one shape hit them without hashing.
    var hints: [Int32] = []
    var modelHint: Int32 = -1
    var scratch = ValueScratch(capacity: 64)
    var hintIndex = 0
    static let predictionPrefix: StaticString = "prediction."
    static let actualPrefix: StaticString = "actual."
    static let noPrefix: StaticString = ""

    public init(schema: RecordSchema) {
        var bytes: [UInt8] = []
        var components: [Range<Int>] = []
        timestamp = Self.path(schema.timestamp, &bytes, &components)
        model = Self.path(schema.model, &bytes, &components)
        switch schema.features {
        case .object(let path):
            featureObject = Self.path(path, &bytes, &components)
            featureList = []
        case .list(let paths):
            featureObject = nil
            featureList = paths.map { Self.path($0, &bytes, &components) }
        }
        prediction = schema.prediction.map { Self.path($0, &bytes, &components) }
        actual = schema.actual.map { Self.path($0, &bytes, &components) }
        modelVersion = schema.modelVersion.map { Self.path($0, &bytes, &components) }
        requestID = schema.requestID.map { Self.path($0, &bytes, &components) }
        pathBytes = bytes
        pathComponents = components
        defaultModel = schema.defaultModel
        timezone = schema.timezone
        timestampFormat = schema.timestampFormat
        typeOverrides = schema.types
        hasTypeOverrides = !schema.types.isEmpty
        flattenDepth = schema.flattenDepth
        for name in Self.outcomeNames { _ = features.id(name) }
    }

    /// Maps `line` to a record appended to `buffer`.
    /// - Parameter notAfter: the latest event time taken (the wall clock plus `limits.max_future`, read by the
    ///   caller: the mapper reads no clock); later ones are rejected as `future`.
    /// - Returns: nil on success, or why the line is rejected (then nothing is appended).
    public mutating func map(
        _ line: UnsafeRawBufferPointer, into buffer: inout RecordBuffer,
        notAfter: EventTime = EventTime(nanoseconds: .max)
    ) -> RejectReason? {
        do {
            try tape.parse(line)
        } catch {
            return .invalidJSON(error.description)
        }
        guard tape[0].kind == .object else { return .notAnObject }
        guard let tsIndex = find(timestamp, in: line), tape[tsIndex].kind != .null else { return .noTimestamp }
        let time: EventTime
        var parsed = eventTime(at: tsIndex, in: line)
        if case .naive(let local) = parsed {
            guard let timezone else { return .noOffset(timestampText(at: tsIndex, in: line)) }
            // A zone's offset changes on whole minutes: the last minute's is kept, not asked of the zone (four
            // Foundation calls) for every record.
            let ns = local.nanoseconds
            let minute = (ns >= 0 ? ns : ns - 59_999_999_999) / 60_000_000_000  // floor, before 1970 too
            if minute != zoneMinute {
                zoneMinute = minute
                zoneOffset = timezone.offset(atLocal: EventTime(nanoseconds: minute * 60_000_000_000))
            }
            let utc = EventTime(nanoseconds: local.nanoseconds - zoneOffset * 1_000_000_000)
            parsed = EventTime.representable.contains(utc) ? .time(utc) : .outOfRange
        }
        switch parsed {
        case .time(let t) where t <= notAfter: time = t
        case .time: return .future(timestampText(at: tsIndex, in: line))
        case .outOfRange: return .outOfRange(timestampText(at: tsIndex, in: line))
        case .naive, .invalid:
            if let timestampFormat, tape[tsIndex].kind == .string {
                return .notInFormat(timestampText(at: tsIndex, in: line), pattern: timestampFormat.pattern)
            }
            return .badTimestamp(timestampText(at: tsIndex, in: line))
        }
        let model = modelID(in: line)
        // The record's values are gathered in the mapper's scratch memory and go into the buffer with one append:
        // an append per value (a uniqueness and a capacity check each) cost about 15% of the mapping. Each value is
        // a token of the tape, or a listed path's (a path may be listed twice), or a scalar prediction or actual.
        // An array gives a value per element plus two (its length and a marker), which its key and its own token
        // pay for; a listed path has no key, and the features, prediction and actual may be the same object.
        let room = (featureList.count + 3) * (tape.count + 2)
        if scratch.capacity < room || !isKnownUniquelyReferenced(&scratch) {
            // A copy of the mapper gets its own.
            scratch = ValueScratch(capacity: Swift.max(room, 2 * scratch.capacity))
        }
        var values = ValueList(base: scratch.base)
        hintIndex = 0
        if let featureObject, let index = find(featureObject, in: line), tape[index].kind == .object {
            appendMembers(ofObjectAt: index, prefix: Self.noPrefix, in: line, text: &buffer, to: &values)
        }
        for path in featureList {
            if let index = find(path, in: line), tape[index].kind == .array {
                var name = path.text
                name.withUTF8 {
                    appendArray(
                        at: index, prefix: UnsafeRawBufferPointer(start: nil, count: 0),
                        name: UnsafeRawBufferPointer($0),
                        in: line, text: &buffer, to: &values)
                }
            } else if let index = find(path, in: line) {
                let id = features.id(path.text)
                values.append((typedValue(at: index, id: id, in: line, text: &buffer), id))
            }
        }
        let outcomeStart = values.count
        if let prediction {
            appendProfiled(
                prediction, id: Self.predictionID, prefix: Self.predictionPrefix, in: line,
                text: &buffer, to: &values)
        }
        if let actual {
            appendProfiled(actual, id: Self.actualID, prefix: Self.actualPrefix, in: line, text: &buffer, to: &values)
        }
        let start = buffer.values.count
        buffer.values.append(contentsOf: UnsafeBufferPointer(start: values.base, count: values.count))
        var record = Record(time: time, model: model, values: start..<buffer.values.count)
        if let requestID, let index = find(requestID, in: line) {
            record.requestID = scalarText(at: index, in: line, into: &buffer)
        }
        setOutcome(
            &record, from: UnsafeBufferPointer(start: values.base + outcomeStart, count: values.count - outcomeStart))
        buffer.records.append(record)
        return nil
    }

    /// Memory for one record's values while it is mapped, the mapper's own (see `map`).
    final class ValueScratch: @unchecked Sendable {  // used only by the mapper that holds it uniquely
        let base: UnsafeMutablePointer<RecordBuffer.Value>
        let capacity: Int
        /// The prefix of a nested object's members (`request.customer.`), built one level after another: a name is
        /// at most ``maxFeatureNameBytes`` long, so it never moves while the levels below read it.
        let prefix: UnsafeMutableRawPointer

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
            prefix = .allocate(byteCount: RecordMapper.maxFeatureNameBytes, alignment: 1)
        }

        deinit {
            base.deallocate()
            prefix.deallocate()
        }
    }

    /// A record's values while it is mapped, in memory sized for it.
    struct ValueList {
        let base: UnsafeMutablePointer<RecordBuffer.Value>
        var count = 0

        @inline(__always) mutating func append(_ value: RecordBuffer.Value) {
            (base + count).initialize(to: value)
            count += 1
        }
    }

    /// Appends each member of the object at `index` as the feature `prefix` + its key.
    mutating func appendMembers(
        ofObjectAt index: Int, prefix: StaticString, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        // A loop over the tape rather than `forEachMember`: a closure that mutates the mapper would copy it (all
        // 248 bytes) for every member.
        let prefixBytes = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        appendMembers(ofObjectAt: index, prefix: prefixBytes, depth: 0, in: line, text: &buffer, to: &values)
    }

    /// The members of the object at `index`, named after `prefix`; a member that is an object, up to
    /// `flattenDepth` levels down, gives its members as `key.member` (DESIGN §2: shapes as servers write them).
    mutating func appendMembers(
        ofObjectAt index: Int, prefix: UnsafeRawBufferPointer, depth: Int, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        var key = index + 1
        while key < Int(tape[index].end) {
            let kind = tape[key + 1].kind
            if depth < flattenDepth && kind == .object {
                appendNested(
                    objectAt: key + 1, key: key, prefix: prefix, depth: depth, in: line, text: &buffer, to: &values)
            } else if kind == .array {
                appendArray(memberAt: key, prefix: prefix, in: line, text: &buffer, to: &values)
            } else if let id = featureID(key: key, prefix: prefix, in: line) {
                values.append((typedValue(at: key + 1, id: id, in: line, text: &buffer), id))
            }
            key = tape.next(after: key + 1)
        }
    }

    /// A nested object's members, after the prefix `prefix` + its key + `.` (too long a name: none, counted in
    /// ``ignoredNames``). The prefix is built in the scratch memory's `prefix`, where the level above left its
    /// own: no allocation per record (a `[UInt8]` per level had been two per nested object).
    mutating func appendNested(
        objectAt index: Int, key: Int, prefix: UnsafeRawBufferPointer, depth: Int, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        let room = scratch.prefix
        func extend(_ name: UnsafeRawBufferPointer) -> Int? {
            guard !name.isEmpty, prefix.count + name.count + 1 < Self.maxFeatureNameBytes else { return nil }
            // The features object's own prefix is copied in; a nested level's is there already.
            if prefix.count > 0, prefix.baseAddress != UnsafeRawPointer(room) {
                room.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
            }
            (room + prefix.count).copyMemory(from: name.baseAddress!, byteCount: name.count)
            room.storeBytes(of: UInt8(ascii: "."), toByteOffset: prefix.count + name.count, as: UInt8.self)
            return prefix.count + name.count + 1
        }
        let token = tape[key]
        let length: Int?
        if token.escaped {
            var name = tape.string(at: key, in: line)
            length = name.withUTF8 { extend(UnsafeRawBufferPointer($0)) }
        } else {
            length = extend(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]))
        }
        guard let length else {
            ignoredNames += 1
            return
        }
        appendMembers(
            ofObjectAt: index, prefix: UnsafeRawBufferPointer(start: room, count: length), depth: depth + 1,
            in: line, text: &buffer, to: &values)
    }

    /// The id of the feature named by the key token at `key` (after `prefix`); nil for an empty or over-long
    /// name (counted in ``ignoredNames``).
    @inline(__always)
    mutating func featureID(key: Int, prefix: UnsafeRawBufferPointer, in line: UnsafeRawBufferPointer) -> Int32? {
        let token = tape[key]
        let length = Int(token.end - token.start)
        guard length + prefix.count <= Self.maxFeatureNameBytes, length > 0 else {
            ignoredNames += 1
            return nil
        }
        if hintIndex == hints.count { hints.append(-1) }
        defer { hintIndex += 1 }
        let id: Int32
        if token.escaped {
            let name = Array(tape.string(at: key, in: line).utf8)
            guard !name.isEmpty else {
                ignoredNames += 1
                return nil
            }
            id = name.withUnsafeBytes { features.id($0, prefix: prefix) }
        } else {
            let bytes = UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])
            let hint = hints[hintIndex]
            if features.spells(hint, prefix, bytes) { return hint }  // records of one shape: no hashing, no write
            id = features.id(bytes, prefix: prefix)
        }
        if hints[hintIndex] != id { hints[hintIndex] = id }  // no write (and no uniqueness check) when unchanged
        return id
    }

    /// An object's members become `name.<key>`; a scalar becomes `name` (the feature `id`).
    mutating func appendProfiled(
        _ path: Path, id: Int32, prefix: StaticString, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        guard let index = find(path, in: line) else { return }
        if tape[index].kind == .object {
            appendMembers(ofObjectAt: index, prefix: prefix, in: line, text: &buffer, to: &values)
        } else {
            values.append((featureValue(at: index, in: line, text: &buffer), id))
        }
    }

    /// Picks the prediction and the actual out of the outcome values, for the window's performance.
    func setOutcome(_ record: inout Record, from values: UnsafeBufferPointer<RecordBuffer.Value>) {
        var valueRank = Int.max  // prefer prediction.value, then prediction.score, then a scalar prediction
        for v in values {
            switch (v.feature, v.value) {
            case (Self.actualID, .category(let s)): record.actualLabel = s
            case (Self.actualID, .number(let x)): record.actualValue = x
            case (Self.predictionID, .category(let s)), (Self.labelID, .category(let s)): record.predictedLabel = s
            case (Self.valueID, .number(let x)) where valueRank > 0: (record.predictedValue, valueRank) = (x, 0)
            case (Self.scoreID, .number(let x)) where valueRank > 1: (record.predictedValue, valueRank) = (x, 1)
            case (Self.predictionID, .number(let x)) where valueRank > 2: (record.predictedValue, valueRank) = (x, 2)
            default: break
            }
        }
    }

    func find(_ path: Path, in line: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        for c in path.components {
            let range = pathComponents[c]
            let found = pathBytes.withUnsafeBytes { bytes in
                tape.member(UnsafeRawBufferPointer(rebasing: bytes[range]), ofObjectAt: index, in: line)
            }
            guard let found else { return nil }
            index = found
        }
        return index
    }

    mutating func modelID(in line: UnsafeRawBufferPointer) -> Int32 {
        guard let modelVersion, let versionIndex = find(modelVersion, in: line), tape[versionIndex].kind != .null,
            tape[versionIndex].kind != .object, tape[versionIndex].kind != .array
        else { return modelNameID(in: line) }
        // The name and the version joined, in memory the mapper keeps: each version is a model of its own until the
        // drift stage.
        let nameID = modelNameID(in: line)  // first: it may add the name
        var key: [UInt8] = []
        swap(&key, &modelKey)  // out of the mapper while the version is read from it (no overlapping access)
        defer { swap(&key, &modelKey) }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: models.names[Int(nameID)].utf8)
        key.append(ModelKey.separator)
        _ = withScalarBytes(at: versionIndex, in: line) { version in
            key.append(contentsOf: version.prefix(Self.maxFeatureNameBytes).lazy.filter { $0 != 0x1E && $0 != 0x1F })
        }
        return key.withUnsafeBytes { models.id($0) }
    }

    mutating func modelNameID(in line: UnsafeRawBufferPointer) -> Int32 {
        guard let index = find(model, in: line) else { return models.id(defaultModel) }
        let token = tape[index]
        switch token.kind {
        case .string where !token.escaped, .number, .true, .false:
            // Model names are cut to the feature-name limit, so that every metric line stays bounded.
            let end = min(Int(token.end), Int(token.start) + Self.maxFeatureNameBytes)
            // A log is mostly one model: the last one's id is tried first, without hashing.
            modelHint = models.id(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<end]), hint: modelHint)
            return modelHint
        case .string:
            let name = Array(
                tape.string(at: index, in: line).utf8.prefix(Self.maxFeatureNameBytes).filter {
                    $0 != 0x1E && $0 != 0x1F
                })
            return name.withUnsafeBytes { models.id($0) }
        default:
            return models.id(defaultModel)
        }
    }

    static let trueText: StaticString = "true"
    static let falseText: StaticString = "false"

    @inline(__always) static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var any: UInt8 = 0
        for b in bytes { any |= b }
        return any < 0x80
    }

}
