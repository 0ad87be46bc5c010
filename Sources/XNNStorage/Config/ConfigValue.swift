import Yams

/// A type that can be read from one YAML node of a configuration file.
public protocol ConfigValue {
    /// How the expected value is named in error messages, e.g. "an integer".
    static var expectedDescription: String { get }
    /// The value, or nil when the node does not hold this type.
    init?(configNode node: Node)
}

extension Int: ConfigValue {
    public static var expectedDescription: String { "an integer" }
    public init?(configNode node: Node) {
        guard case .scalar(let s) = node, let value = Int(s.string.replacingOccurrences(of: "_", with: "")) else { return nil }
        self = value
    }
}

extension Double: ConfigValue {
    public static var expectedDescription: String { "a finite number" }
    /// No setting of xnn means anything at .inf or .nan, so YAML's spellings of them are refused here.
    public init?(configNode node: Node) {
        guard case .scalar(let s) = node, s.style == .plain, let value = node.float, value.isFinite else { return nil }
        self = value
    }
}

extension Float: ConfigValue {
    public static var expectedDescription: String { "a finite number" }
    public init?(configNode node: Node) {
        guard let value = Double(configNode: node), Float(value).isFinite else { return nil }
        self = Float(value)
    }
}

extension Bool: ConfigValue {
    public static var expectedDescription: String { "true or false" }
    public init?(configNode node: Node) {
        guard case .scalar(let s) = node, s.style == .plain else { return nil }
        switch s.string.lowercased() {
        case "true", "yes", "on": self = true
        case "false", "no", "off": self = false
        default: return nil
        }
    }
}

extension String: ConfigValue {
    public static var expectedDescription: String { "a string" }
    public init?(configNode node: Node) {
        guard case .scalar(let s) = node else { return nil }
        self = s.string
    }
}

extension Array: ConfigValue where Element: ConfigValue {
    public static var expectedDescription: String { "a list of \(Element.expectedDescription.replacingOccurrences(of: "an ", with: "").replacingOccurrences(of: "a ", with: ""))s" }
    public init?(configNode node: Node) {
        switch node {
        case .sequence(let sequence):
            var values: [Element] = []
            for item in sequence {
                guard let value = Element(configNode: item) else { return nil }
                values.append(value)
            }
            self = values
        case .scalar:  // a single value stands for a list of one
            guard let value = Element(configNode: node) else { return nil }
            self = [value]
        default:
            return nil
        }
    }
}

/// String enumerations (`relu`, `sparse_log`, ...) read by their raw value.
public protocol ConfigEnumeration: ConfigValue, RawRepresentable, CaseIterable where RawValue == String {}

extension ConfigEnumeration {
    public static var expectedDescription: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
    public init?(configNode node: Node) {
        guard case .scalar(let s) = node, let value = Self(rawValue: s.string) else { return nil }
        self = value
    }
}

extension Node {
    /// A short rendering of a node for error messages.
    var summary: String {
        switch self {
        case .scalar(let s): return s.string.isEmpty ? "an empty value" : "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence(let items):
            // A short list of plain values is shown as written, e.g. [3, 3].
            let values = items.compactMap { $0.scalar?.string }
            let text = "[" + values.joined(separator: ", ") + "]"
            return values.count == items.count && text.count <= 60 ? text : "a list"
        }
    }
}
