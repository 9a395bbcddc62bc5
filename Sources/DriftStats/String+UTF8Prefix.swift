extension String {
    /// The longest prefix of at most `maxBytes` bytes of UTF-8 that does not split a character.
    public func utf8Prefix(_ maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var bytes = 0
        var end = startIndex
        for c in self {
            let n = c.utf8.count
            guard bytes + n <= maxBytes else { break }
            bytes += n
            end = index(after: end)
        }
        return String(self[..<end])
    }
}
