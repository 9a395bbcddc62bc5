import Foundation

extension DistinctCounter: Codable {
    private enum CodingKeys: String, CodingKey {
        case exact, registers
    }

    /// The exact set as a sorted list; the registers as base64 (16 KiB of bytes, not 16k JSON numbers).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let exact = exactHashes {
            try c.encode(exact, forKey: .exact)
        } else {
            try c.encode(Data(registerBytes).base64EncodedString(), forKey: .registers)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let exact = try c.decodeIfPresent([UInt64].self, forKey: .exact) {
            self.init(exactHashes: exact)
        } else {
            let text = try c.decode(String.self, forKey: .registers)
            guard let data = Data(base64Encoded: text), data.count == Self.registerCount else {
                throw DecodingError.dataCorruptedError(
                    forKey: .registers, in: c, debugDescription: "expected \(Self.registerCount) registers in base64")
            }
            self.init(registers: Array(data))
        }
    }
}
