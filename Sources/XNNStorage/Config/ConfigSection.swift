import Yams

/// A YAML mapping being read into typed settings. Each key read is remembered, so that
/// `finish()` can reject every key nobody asked for (a typo must not be silently ignored).
public final class ConfigSection {
    public let file: String
    /// Dotted path of this section from the root ("" for the root).
    public let path: String
    private let mapping: Node.Mapping
    private var knownKeys: [String] = []
    /// The parent's key, close to this section's name, that was probably meant for it (`dat:` for
    /// `data:`): named when a required key is then missing, instead of reporting the missing key.
    private var misspelledAs: String?

    public init(file: String, path: String, node: Node?) throws {
        self.file = file
        self.path = path
        switch node {
        case .none: mapping = Node.Mapping([])
        case .some(let empty) where empty.null != nil || empty.string == "": mapping = Node.Mapping([])
        case .some(.mapping(let m)): mapping = m
        case .some(let other):
            throw ConfigError.wrongType(file: file, keyPath: path.isEmpty ? "(top level)" : path,
                                        line: other.mark.map { $0.line }, expected: "a mapping of keys", found: other.summary)
        }
    }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func node(_ key: String) -> Node? {
        knownKeys.append(key)
        guard let node = mapping[key] else { return nil }
        if node.null != nil { return nil }
        return node
    }

    /// The value of `key`, or `defaultValue` when it is absent; `isValid` guards the range.
    public func value<T: ConfigValue>(_ key: String, default defaultValue: T,
                                      expected: String? = nil, isValid: (T) -> Bool = { _ in true }) throws -> T {
        try optional(key, expected: expected, isValid: isValid) ?? defaultValue
    }

    /// The value of `key`, or nil when it is absent.
    public func optional<T: ConfigValue>(_ key: String, expected: String? = nil, isValid: (T) -> Bool = { _ in true }) throws -> T? {
        guard let node = node(key) else { return nil }
        guard let value = T(configNode: node) else {
            throw ConfigError.wrongType(file: file, keyPath: keyPath(key), line: node.mark.map { $0.line },
                                        expected: expected ?? T.expectedDescription, found: node.summary)
        }
        guard isValid(value) else {
            throw ConfigError.invalidValue(file: file, keyPath: keyPath(key), line: node.mark.map { $0.line },
                                           expected: expected ?? T.expectedDescription, found: node.summary)
        }
        return value
    }

    /// The value of `key`, which must be present.
    public func required<T: ConfigValue>(_ key: String, expected: String? = nil, isValid: (T) -> Bool = { _ in true }) throws -> T {
        guard let value: T = try optional(key, expected: expected, isValid: isValid) else {
            if let typo = unreadKey(closeTo: key) {  // `fiel:` for `file:`
                throw ConfigError.unknownKey(file: file, keyPath: keyPath(typo), suggestion: keyPath(key), validKeys: [])
            }
            if mapping.isEmpty, let misspelledAs {  // `dat:` for `data:`
                throw ConfigError.unknownKey(file: file, keyPath: misspelledAs, suggestion: path, validKeys: [])
            }
            throw ConfigError.missingKey(file: file, keyPath: keyPath(key), expected: expected ?? T.expectedDescription)
        }
        return value
    }

    /// The nested mapping under `key` (empty when absent).
    public func section(_ key: String) throws -> ConfigSection {
        let node = node(key)
        let section = try ConfigSection(file: file, path: keyPath(key), node: node)
        if node == nil { section.misspelledAs = unreadKey(closeTo: key).map(keyPath) }
        return section
    }

    /// A key of this mapping that nobody has read and that is spelled close to `key`.
    private func unreadKey(closeTo key: String) -> String? {
        let unread = keys.filter { $0 != key && !knownKeys.contains($0) }
        return ClosestKey.suggestion(for: key, among: unread)
    }

    /// The line of `key` in the file (nil when absent or set by `--set`).
    public func line(of key: String) -> Int? { mapping[key]?.mark?.line }

    /// The keys present in this mapping, in file order (for sections whose keys are data, like a sweep grid).
    public var keys: [String] { mapping.map { $0.key.string ?? $0.key.summary } }

    /// The raw node under `key`, marking it as read.
    public func node(named key: String) throws -> Node {
        guard let node = node(key) else {
            throw ConfigError.missingKey(file: file, keyPath: keyPath(key), expected: "a value")
        }
        return node
    }

    /// Rejects keys that no reader asked for, suggesting the closest valid one.
    public func finish() throws {
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? keyNode.summary
            if knownKeys.contains(key) { continue }
            throw ConfigError.unknownKey(file: file, keyPath: keyPath(key),
                                         suggestion: ClosestKey.suggestion(for: key, among: knownKeys).map(keyPath),
                                         validKeys: knownKeys)
        }
    }
}

extension ConfigSection {
    /// Reads `key` into `value`, whose current value is the default: so a setting's default is
    /// written once, where its type declares it, and its key once, in the type's `CodingKeys`.
    public func read<T: ConfigValue, Key: CodingKey>(_ value: inout T, _ key: Key, expected: String? = nil,
                                                      isValid: (T) -> Bool = { _ in true }) throws {
        value = try self.value(key.stringValue, default: value, expected: expected, isValid: isValid)
    }

    /// Reads an optional `key` into `value` (nil when absent).
    public func read<T: ConfigValue, Key: CodingKey>(_ value: inout T?, _ key: Key, expected: String? = nil,
                                                      isValid: (T) -> Bool = { _ in true }) throws {
        value = try optional(key.stringValue, expected: expected, isValid: isValid) ?? value
    }

    /// The nested mapping under `key`.
    public func section<Key: CodingKey>(_ key: Key) throws -> ConfigSection { try section(key.stringValue) }
}
