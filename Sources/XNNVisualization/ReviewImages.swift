import XNNStorage

/// What a data file offers for review pages beyond the activations: ids, labels, thumbnails and
/// the spatial feature maps of some rows (docs/data-format.md). Every part is optional.
public struct ReviewImages {
    public let ids: [String]
    public let labels: [Int]?
    public let classNames: [String]?
    /// N × height × width × channels bytes (channels 1 or 3), or nil.
    public let thumbnails: (pixels: [UInt8], height: Int, width: Int, channels: Int)?
    /// M maps of h × w × D floats, channels last, and the row each belongs to.
    public let featureMaps: (values: [Float], height: Int, width: Int, dimension: Int)?
    /// Row → index of its feature map.
    public let featureMapIndex: [Int: Int]

    public init(file: String, rows: Int) throws {
        let h5 = try HDF5File(path: file, mode: .readOnly)
        defer { h5.close() }
        ids = h5.contains("image_ids") ? try h5.readStrings("image_ids") : (0..<rows).map { "row-\($0)" }
        labels = h5.contains("labels") ? try h5.readInts("labels").values : nil
        classNames = h5.contains("class_names") ? try h5.readStrings("class_names") : nil
        if h5.contains("thumbnails") {
            let (values, shape) = try h5.readInts("thumbnails")
            guard (shape.count == 3 || shape.count == 4) && shape[0] == rows && (shape.count == 3 || shape[3] == 1 || shape[3] == 3) else {
                throw HDF5Error.unsupportedRank(path: file, name: "thumbnails", expected: "[N, H, W] or [N, H, W, 1 or 3] with N = \(rows)", found: shape)
            }
            thumbnails = (values.map { UInt8(clamping: $0) }, shape[1], shape[2], shape.count == 4 ? shape[3] : 1)
        } else {
            thumbnails = nil
        }
        if h5.contains("feature_maps") && h5.contains("feature_map_rows") {
            let (values, shape) = try h5.readFloats("feature_maps")
            let owners = try h5.readInts("feature_map_rows").values
            guard shape.count == 4, shape[0] == owners.count else {
                throw HDF5Error.unsupportedRank(path: file, name: "feature_maps", expected: "[M, h, w, D] with M = \(owners.count) (feature_map_rows)", found: shape)
            }
            featureMaps = (values, shape[1], shape[2], shape[3])
            featureMapIndex = Dictionary(owners.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        } else {
            featureMaps = nil
            featureMapIndex = [:]
        }
        guard ids.count == rows else {
            throw HDF5Error.unsupportedRank(path: file, name: "image_ids", expected: "\(rows) ids, one per row", found: [ids.count])
        }
    }

    /// The thumbnail of `row` as an RGB PNG (grey thumbnails repeated into the three channels).
    public func thumbnailPNG(row: Int) -> PNGImage {
        let t = thumbnail(row: row)
        return PNGImage(width: t.width, height: t.height, channels: 3, pixels: t.channels == 3 ? t.pixels : t.pixels.flatMap { [$0, $0, $0] })
    }

    /// The thumbnail of `row` as (pixels, channels), or a grey square when the file has none.
    public func thumbnail(row: Int) -> (pixels: [UInt8], height: Int, width: Int, channels: Int) {
        guard let thumbnails else { return ([UInt8](repeating: 128, count: 28 * 28), 28, 28, 1) }
        let size = thumbnails.height * thumbnails.width * thumbnails.channels
        return (Array(thumbnails.pixels[(row * size)..<((row + 1) * size)]), thumbnails.height, thumbnails.width, thumbnails.channels)
    }
}
