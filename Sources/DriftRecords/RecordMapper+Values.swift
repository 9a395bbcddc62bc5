import DriftCore

/// A record's values as the mapper reads them from the tape: features (numbers, categories, nulls, what is
/// invalid), the timestamp, and the text a rejection quotes.
extension RecordMapper {
    /// `mutating` only so that the mapper is passed by reference: called from `map`, a non-mutating method got a
    /// copy of the whole mapper per value.
    @inline(__always)
    mutating func featureValue(at index: Int, in line: UnsafeRawBufferPointer, text buffer: inout RecordBuffer)
        -> FeatureValue
    {
        let token = tape[index]
        switch token.kind {
        case .number: return .number(token.number)
        case .string:
            let raw = UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])
            if !token.escaped && Self.isASCII(raw) { return .category(buffer.appendText(raw)) }
            // Escapes resolved, invalid UTF-8 repaired: the text is what a String of the value holds.
            var decoded = tape.string(at: index, in: line)
            return .category(decoded.withUTF8 { buffer.appendText(UnsafeRawBufferPointer($0)) })
        case .true:
            return .category(buffer.appendText(UnsafeRawBufferPointer(start: Self.trueText.utf8Start, count: 4)))
        case .false:
            return .category(buffer.appendText(UnsafeRawBufferPointer(start: Self.falseText.utf8Start, count: 5)))
        case .null: return .null
        case .object, .array: return .structured
        }
    }

    /// The value at `index` of feature `id`, as `schema.types` has it (when it names any feature: the check is
    /// inlined, the rest is not, which measured 2.6% of replay's samples on the realistic shape when it was).
    @inline(__always)
    mutating func typedValue(at index: Int, id: Int32, in line: UnsafeRawBufferPointer, text buffer: inout RecordBuffer)
        -> FeatureValue
    {
        if hasTypeOverrides { return overriddenValue(at: index, id: id, in: line, text: &buffer) }
        return featureValue(at: index, in: line, text: &buffer)
    }

    /// A number of a categorical feature is the category of its text as written (`5014`), a string of a numeric
    /// feature that is a JSON number is that number.
    @inline(never)
    mutating func overriddenValue(
        at index: Int, id: Int32, in line: UnsafeRawBufferPointer, text buffer: inout RecordBuffer
    ) -> FeatureValue {
        while overrides.count <= Int(id) { overrides.append(typeOverrides[features.names[overrides.count]]) }
        let token = tape[index]
        switch (overrides[Int(id)], token.kind) {
        case (.categorical?, .number):
            return .category(
                buffer.appendText(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])))
        case (.numeric?, .string) where !token.escaped:
            let raw = UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])
            if let x = number(raw) { return .number(x) }
        default:
            break
        }
        return featureValue(at: index, in: line, text: &buffer)
    }

    /// The number a string's text spells as JSON would (`"5014"`, `"-0.5"`, `"1e3"`); nil for anything else
    /// (`" 5"`, `"0x10"`, `"nan"`, `""`). Read by the JSON parser on a tape of its own, kept for the next value: a
    /// log that sends its numbers as strings does so for every record.
    mutating func number(_ raw: UnsafeRawBufferPointer) -> Double? {
        guard let first = raw.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return nil }
        guard (try? numberTape.parse(raw)) != nil, numberTape.count == 1, numberTape[0].kind == .number else {
            return nil
        }
        return numberTape[0].number
    }

    /// The value of a number written as a plain integer that fits in 64 bits, exactly; nil otherwise.
    static func integer(_ raw: UnsafeRawBufferPointer) -> Int64? {
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

    /// `mutating`: see featureValue.
    mutating func eventTime(at index: Int, in line: UnsafeRawBufferPointer) -> ParsedTime {
        let token = tape[index]
        switch token.kind {
        case .string:
            if token.escaped {
                return Array(tape.string(at: index, in: line).utf8).withUnsafeBytes { parseTime($0) }
            }
            return parseTime(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]))
        case .number:
            let raw = UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)])
            if let integer = Self.integer(raw) { return EventTime.parse(epochInteger: integer) }
            return EventTime.parse(epoch: token.number)
        default:
            return .invalid
        }
    }

    /// A string timestamp, by `schema.timestamp_format` when there is one.
    @inline(__always) func parseTime(_ text: UnsafeRawBufferPointer) -> ParsedTime {
        if let timestampFormat { return timestampFormat.parse(text) }
        return EventTime.parse(rfc3339: text)
    }

    /// The timestamp's text for a rejection message: a bounded, escaped excerpt of a scalar, or what the value is
    /// (an object or array has no text of its own on the tape).
    func timestampText(at index: Int, in line: UnsafeRawBufferPointer) -> String {
        let token = tape[index]
        switch token.kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return RejectReason.excerpt(tape.string(at: index, in: line).utf8)
        case .number, .true, .false, .null:
            return RejectReason.excerpt(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]))
        }
    }
}

extension RecordMapper {
    /// Calls `body` with the text of a scalar (a string unescaped, a number as written, a boolean as `true`/`false`);
    /// nil for null, an object or an array. For model versions and request ids, which writers send as strings or
    /// numbers, once per record: the text is read in place, copied only when it has escapes.
    func withScalarBytes<R>(at index: Int, in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R)
        -> R?
    {
        let token = tape[index]
        switch token.kind {
        case .string where token.escaped:
            var text = tape.string(at: index, in: line)
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case .string, .number: return body(UnsafeRawBufferPointer(rebasing: line[Int(token.start)..<Int(token.end)]))
        case .true: return body(UnsafeRawBufferPointer(start: Self.trueText.utf8Start, count: 4))
        case .false: return body(UnsafeRawBufferPointer(start: Self.falseText.utf8Start, count: 5))
        case .null, .object, .array: return nil
        }
    }

    /// The text of the scalar at `index`, in the record buffer's text, cut to 256 bytes.
    func scalarText(at index: Int, in line: UnsafeRawBufferPointer, into buffer: inout RecordBuffer) -> TextRange? {
        withScalarBytes(at: index, in: line) {
            buffer.appendText(UnsafeRawBufferPointer(rebasing: $0.prefix(Self.maxFeatureNameBytes)))
        }
    }
}
