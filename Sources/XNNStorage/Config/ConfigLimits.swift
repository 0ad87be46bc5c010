/// Limits on configuration text, checked before or right after it is parsed (docs/reliability.md). The YAML
/// composer recurses once per nesting level, so a deeply nested document would overflow the stack
/// instead of failing; no setting of xnn needs more than a few levels or more than a few kilobytes.
public enum ConfigLimits {
    /// Bytes of one configuration file, `--set` value or sweep file.
    public static let maxBytes = 1_048_576
    /// Nested mappings and lists, counting the key path of a `--set`.
    public static let maxDepth = 64
    /// Keys and values of one document, an alias counted each time it is used: a few lines of
    /// aliases to aliases expand to billions of values ("billion laughs").
    public static let maxValues = 100_000

    /// The size limit as error messages name it.
    static let maxBytesText = "\(maxBytes / 1_048_576) MB (\(maxBytes) bytes)"
}
