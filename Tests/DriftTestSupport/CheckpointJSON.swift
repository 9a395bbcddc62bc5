import Foundation

/// A checkpoint's JSON as `driftd` writes and reads it: non-finite doubles (an empty sketch's bounds are
/// infinite) as the strings `inf`, `-inf` and `nan`.
public enum CheckpointJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
