import DriftRecords

/// A batch of `lines` as a reader would deliver them (framed, newline-terminated).
public func lineBatch(_ lines: [String], source: String = "test") -> LineBatch {
    var framer = LineFramer()
    var batch = LineBatch(source: source)
    Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes { framer.push($0, into: &batch) }
    return batch
}
