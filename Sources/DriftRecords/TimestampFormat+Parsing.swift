import DriftCore

extension TimestampFormat {
    static let months: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ].map { Array($0.utf8) }
    static let weekdays: [[UInt8]] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .map { Array($0.utf8) }

    /// Reads `text` whole: the time (with `%z` or `%s`), a local time (without them: usable only with
    /// `schema.timezone`), or `.invalid` when the text does not follow the pattern or names an impossible date.
    public func parse(_ text: UnsafeRawBufferPointer) -> ParsedTime {
        var p = 0
        var year: Int64?
        var year2: Int64?
        var month: Int64?
        var day: Int64 = 1
        var dayOfYear: Int64?
        var hour: Int64 = 0
        var hour12: Int64?
        var pm: Bool?
        var minute: Int64 = 0
        var second: Int64 = 0
        var nanos: Int64 = 0
        var offset: Int64?
        var epoch: Int64?
        func isDigit(_ i: Int) -> Bool { i < text.count && text[i] >= 0x30 && text[i] <= 0x39 }
        func lower(_ i: Int) -> UInt8 { text[i] | 0x20 }
        /// A name, full or cut to its first three letters, case-insensitive: its index.
        func name(_ names: [[UInt8]]) -> Int? {
            for (i, full) in names.enumerated() {
                for length in [full.count, 3] where p + length <= text.count {
                    if (0..<length).allSatisfy({ lower(p + $0) == full[$0] }) {
                        p += length
                        return i
                    }
                }
            }
            return nil
        }
        for piece in pieces {
            switch piece {
            case .literal(let c):
                guard p < text.count, text[p] == c else { return .invalid }
                p += 1
            case .space:
                guard p < text.count, text[p] == 0x20 || text[p] == 0x09 else { return .invalid }
                while p < text.count && (text[p] == 0x20 || text[p] == 0x09) { p += 1 }
            case .number(let field, let digits, let exact):
                if field == .day || field == .hour12 || field == .hour, p < text.count, text[p] == 0x20 {
                    p += 1  // %e pads with a space
                }
                var v: Int64 = 0
                var n = 0
                while n < digits && isDigit(p) {
                    v = v * 10 + Int64(text[p] - 0x30)
                    p += 1
                    n += 1
                }
                guard n > 0, !exact || n == digits else { return .invalid }
                switch field {
                case .year: year = v
                case .year2: year2 = v
                case .month: month = v
                case .day: day = v
                case .dayOfYear: dayOfYear = v
                case .hour: hour = v
                case .hour12: hour12 = v
                case .minute: minute = v
                case .second: second = v
                }
            case .fraction:
                var n = 0
                while isDigit(p) {
                    if n < 9 { nanos = nanos * 10 + Int64(text[p] - 0x30) }
                    p += 1
                    n += 1
                }
                guard n > 0 else { return .invalid }
                for _ in min(n, 9)..<9 { nanos *= 10 }
            case .offset:
                guard p < text.count else { return .invalid }
                if text[p] == UInt8(ascii: "Z") {
                    p += 1
                    offset = 0
                    continue
                }
                guard text[p] == UInt8(ascii: "+") || text[p] == UInt8(ascii: "-") else { return .invalid }
                let sign: Int64 = text[p] == UInt8(ascii: "-") ? -1 : 1
                p += 1
                guard isDigit(p), isDigit(p + 1) else { return .invalid }
                let h = Int64(text[p] - 0x30) * 10 + Int64(text[p + 1] - 0x30)
                p += 2
                if p < text.count, text[p] == UInt8(ascii: ":") { p += 1 }
                guard isDigit(p), isDigit(p + 1) else { return .invalid }
                let m = Int64(text[p] - 0x30) * 10 + Int64(text[p + 1] - 0x30)
                p += 2
                guard h < 24, m < 60 else { return .invalid }
                offset = sign * (h * 3600 + m * 60)
            case .monthName:
                guard let m = name(Self.months) else { return .invalid }
                month = Int64(m + 1)
            case .weekdayName:
                guard name(Self.weekdays) != nil else { return .invalid }
            case .amPM:
                guard p + 1 < text.count, lower(p + 1) == UInt8(ascii: "m"),
                    lower(p) == UInt8(ascii: "a") || lower(p) == UInt8(ascii: "p")
                else { return .invalid }
                pm = lower(p) == UInt8(ascii: "p")
                p += 2
            case .epochSeconds:
                let negative = p < text.count && text[p] == UInt8(ascii: "-")
                if negative { p += 1 }
                var v: Int64 = 0
                var n = 0
                while isDigit(p) && n < 12 {
                    v = v * 10 + Int64(text[p] - 0x30)
                    p += 1
                    n += 1
                }
                guard n > 0, !isDigit(p) else { return .outOfRange }
                epoch = negative ? -v : v
            }
        }
        guard p == text.count else { return .invalid }
        if let hour12, let pm {
            guard hour12 >= 1 && hour12 <= 12 else { return .invalid }
            hour = hour12 % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, minute < 60, second < 61 else { return .invalid }  // 60: a leap second, read as the next
        let timeOfDay = ((hour * 60 + minute) * 60 + second) * 1_000_000_000 + nanos
        var seconds: Int64
        if let epoch {
            seconds = epoch
            guard epoch > -10_000_000_000 && epoch < 10_000_000_000 else { return .outOfRange }
            let t = seconds * 1_000_000_000 + nanos
            return EventTime.representable.contains(EventTime(nanoseconds: t))
                ? .time(EventTime(nanoseconds: t)) : .outOfRange
        }
        // POSIX: %y 69–99 are 1969–1999, 00–68 are 2000–2068.
        let y = year ?? year2.map { $0 < 69 ? 2000 + $0 : 1900 + $0 } ?? 1970
        let days: Int64
        if let dayOfYear {
            let length: Int64 = CivilDate.daysInMonth(year: y, month: 2) == 29 ? 366 : 365
            guard dayOfYear >= 1 && dayOfYear <= length else { return .invalid }
            days = CivilDate.days(year: y, month: 1, day: 1) + dayOfYear - 1
        } else {
            guard let month, month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: y, month: month)
            else { return .invalid }
            days = CivilDate.days(year: y, month: month, day: day)
        }
        seconds = days * 86_400 - (offset ?? 0)
        let t = EventTime(nanoseconds: seconds &* 1_000_000_000 &+ timeOfDay)
        guard y >= 1677, y <= 2262, EventTime.representable.contains(t) else { return .outOfRange }
        return offset == nil ? .naive(t) : .time(t)
    }
}
