import Foundation

/// Limits on configuration text, checked before it is parsed (docs/reliability.md). The YAML
/// composer recurses once per nesting level, so a deeply nested document would overflow the stack
/// instead of failing; no setting of xnn needs more than a few levels or more than a few kilobytes.
public enum ConfigLimits {
    /// Bytes of one configuration file, `--set` value or sweep file.
    public static let maxBytes = 1_048_576
    /// Nested mappings and lists, counting the key path of a `--set`.
    public static let maxDepth = 64

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.3g MB", Double(bytes) / 1_048_576) : "\(bytes) bytes"
    }
}
