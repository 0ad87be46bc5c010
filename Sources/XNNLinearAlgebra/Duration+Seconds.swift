extension Duration {
    /// The duration in seconds, as a Double (training speed, benchmarks, progress lines).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
