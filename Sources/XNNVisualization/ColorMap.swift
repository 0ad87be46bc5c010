/// Heat values to colours, and a heatmap laid over a thumbnail.
public enum ColorMap {
    /// The viridis colour of `value` in [0, 1] (clamped).
    public static func viridis(_ value: Float) -> (UInt8, UInt8, UInt8) {
        let index = Int((min(max(value.isNaN ? 0 : value, 0), 1) * 255).rounded())
        return viridisTable[index]
    }

    /// An RGB image: the thumbnail (grey or RGB, `channels` 1 or 3) with `heat` (same size,
    /// values in [0, 1]) in viridis on top, at opacity `alpha · heat` so cold regions show the image.
    public static func overlay(thumbnail: [UInt8], channels: Int, heat: [Float], alpha: Float = 0.75) -> [UInt8] {
        precondition(channels == 1 || channels == 3)
        precondition(thumbnail.count == heat.count * channels)
        var pixels = [UInt8](repeating: 0, count: heat.count * 3)
        for i in heat.indices {
            let (r, g, b) = viridis(heat[i])
            let opacity = alpha * min(max(heat[i], 0), 1)
            for (c, color) in [r, g, b].enumerated() {
                let base = Float(thumbnail[channels == 1 ? i : i * 3 + c])
                pixels[i * 3 + c] = UInt8((base * (1 - opacity) + Float(color) * opacity).rounded())
            }
        }
        return pixels
    }

    /// Scales values to [0, 1] by `maximum` (e.g. the largest value over the images compared), 0 for a flat map.
    public static func normalized(_ values: [Float], maximum: Float) -> [Float] {
        maximum > 0 ? values.map { max(0, $0) / maximum } : values.map { _ in 0 }
    }
}
