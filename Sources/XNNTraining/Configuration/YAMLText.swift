import Yams

/// Encodes settings as YAML with a stable key order, for the resolved config saved with a run.
enum YAMLText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        try YAMLEncoder().encode(value)
    }
}
