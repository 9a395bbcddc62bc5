import DriftCore

/// Arrays as servers write them (DESIGN §2): `"tags": ["vip", "mobile"]` gives the numeric feature `tags.length`
/// (2) and the multi-valued categorical `tags[]`, whose values are the elements (`vip`, `mobile`).
extension RecordMapper {
    static let lengthSuffix: StaticString = ".length"
    static let elementsSuffix: StaticString = "[]"

    /// The array that is the value of the member whose key token is at `key`, named after `prefix` + its key.
    mutating func appendArray(
        memberAt key: Int, prefix: UnsafeRawBufferPointer, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        let token = tape[key]
        if token.escaped {
            var name = tape.string(at: key, in: line)
            name.withUTF8 {
                appendArray(
                    at: key + 1, prefix: prefix, name: UnsafeRawBufferPointer($0), in: line, text: &buffer,
                    to: &values)
            }
        } else {
            appendArray(
                at: key + 1, prefix: prefix,
                name: UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]),
                in: line, text: &buffer, to: &values)
        }
    }

    /// The array at `index`, named `prefix` + `name`: its length as `NAME.length`, and, when it holds strings or
    /// booleans, a ``FeatureValue/elements`` marker for `NAME[]` (the record has values of it) followed by those
    /// elements as its categories. Numbers, nulls, objects and arrays inside count in the length only: an array of
    /// numbers (an embedding) is not a distribution of one feature. A name too long is ignored and counted.
    mutating func appendArray(
        at index: Int, prefix: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, in line: UnsafeRawBufferPointer,
        text buffer: inout RecordBuffer, to values: inout ValueList
    ) {
        // The names are built where nested prefixes are (`prefix` may be there already: it stays untouched).
        let room = scratch.prefix
        let base = prefix.count + name.count
        guard !name.isEmpty, base + Self.lengthSuffix.utf8CodeUnitCount <= Self.maxFeatureNameBytes else {
            ignoredNames += 1
            return
        }
        if prefix.count > 0, prefix.baseAddress != UnsafeRawPointer(room) {
            room.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
        }
        (room + prefix.count).copyMemory(from: name.baseAddress!, byteCount: name.count)
        func id(_ suffix: StaticString) -> Int32 {
            (room + base).copyMemory(from: suffix.utf8Start, byteCount: suffix.utf8CodeUnitCount)
            return features.id(UnsafeRawBufferPointer(start: room, count: base + suffix.utf8CodeUnitCount))
        }
        let end = Int(tape[index].end)
        var length = 0
        var categorical = false
        var element = index + 1
        while element < end {
            length += 1
            categorical = categorical || Self.isCategorical(tape[element].kind)
            element = tape.next(after: element)
        }
        values.append((.number(Double(length)), id(Self.lengthSuffix)))
        guard categorical else { return }
        let elements = id(Self.elementsSuffix)
        values.append((.elements, elements))
        element = index + 1
        while element < end {
            if Self.isCategorical(tape[element].kind) {
                values.append((featureValue(at: element, in: line, text: &buffer), elements))
            }
            element = tape.next(after: element)
        }
    }

    @inline(__always) static func isCategorical(_ kind: JSONTape.Kind) -> Bool {
        kind == .string || kind == .true || kind == .false
    }
}
