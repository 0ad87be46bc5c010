/// Bilinear resampling of a row-major h × w grid to H × W, pixel centres aligned as in
/// PyTorch's `interpolate(mode: "bilinear", align_corners: false)` and OpenCV's `resize`.
public enum Upsampling {
    public static func bilinear(_ values: [Float], height: Int, width: Int, toHeight: Int, toWidth: Int) -> [Float] {
        precondition(values.count == height * width && height > 0 && width > 0)
        var result = [Float](repeating: 0, count: toHeight * toWidth)
        func source(_ index: Int, _ from: Int, _ to: Int) -> (Int, Int, Float) {
            let position = max(0, (Float(index) + 0.5) * Float(from) / Float(to) - 0.5)
            let low = min(Int(position), from - 1)
            return (low, min(low + 1, from - 1), position - Float(low))
        }
        for y in 0..<toHeight {
            let (y0, y1, fy) = source(y, height, toHeight)
            for x in 0..<toWidth {
                let (x0, x1, fx) = source(x, width, toWidth)
                let top = values[y0 * width + x0] * (1 - fx) + values[y0 * width + x1] * fx
                let bottom = values[y1 * width + x0] * (1 - fx) + values[y1 * width + x1] * fx
                result[y * toWidth + x] = top * (1 - fy) + bottom * fy
            }
        }
        return result
    }
}
