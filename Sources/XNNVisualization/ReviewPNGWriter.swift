import Foundation
import XNNRuns

/// The review site's pictures: img/thumb-ROW.png and img/heat-ROW-CONCEPT.png, each written the
/// first time a page shows it, so that pages sharing a picture share one file.
struct ReviewPNGWriter {
    private let directory: RunDirectory
    private let content: ReviewContent
    private var writtenThumbnails = Set<Int>(), writtenHeatmaps = Set<[Int]>()
    /// Files written so far.
    private(set) var count = 0

    init(into directory: RunDirectory, content: ReviewContent) throws {
        self.directory = directory
        self.content = content
        try FileManager.default.createDirectory(atPath: directory.file("img"), withIntermediateDirectories: true)
    }

    /// The site-relative file of `row`'s thumbnail, in RGB.
    mutating func thumbnail(row: Int) throws -> String {
        let name = "img/thumb-\(row).png"
        if writtenThumbnails.insert(row).inserted {
            try content.images.thumbnailPNG(row: row).write(to: directory.file(name))
            count += 1
        }
        return name
    }

    /// The site-relative file of concept `j`'s heatmap over `row`'s thumbnail; nil when `row` has none.
    mutating func heatmap(row: Int, concept j: Int) throws -> String? {
        guard let heat = content.heatmaps.maps[row], let maps = content.images.featureMaps else { return nil }
        let name = "img/heat-\(row)-\(j).png"
        if writtenHeatmaps.insert([row, j]).inserted {
            let t = content.images.thumbnail(row: row)
            let upsampled = Upsampling.bilinear(heat[j], height: maps.height, width: maps.width, toHeight: t.height, toWidth: t.width)
            let pixels = ColorMap.overlay(thumbnail: t.pixels, channels: t.channels,
                                          heat: content.heatmaps.scaled(upsampled, concept: j))
            try PNGImage(width: t.width, height: t.height, channels: 3, pixels: pixels).write(to: directory.file(name))
            count += 1
        }
        return name
    }

    /// The site-relative file of a tested heatmap (docs/heatmaps.md) over `row`'s thumbnail, on its
    /// own scale (lowest cell clear, highest at full colour): methods are compared by their order of cells.
    mutating func testedHeatmap(row: Int, concept j: Int, method: ConceptHeatmapFile.Method) throws -> String {
        let safe = method.name.replacingOccurrences(of: "+", with: "p")
        let name = "img/tested-\(j)-\(row)-\(safe).png"
        let t = content.images.thumbnail(row: row)
        let upsampled = Upsampling.bilinear(method.heatmap, height: method.side, width: method.side, toHeight: t.height, toWidth: t.width)
        // Only the order of cells matters to deletion and insertion (a map may be negative, e.g.
        // centre's), so each map is stretched from its lowest to its highest cell.
        // A map flat to float precision (I-GOS that deleted nothing) is drawn clear, not as stretched noise.
        let low = upsampled.min() ?? 0, range = (upsampled.max() ?? 0) - low
        let pixels = ColorMap.overlay(thumbnail: t.pixels, channels: t.channels,
                                      heat: ColorMap.normalized(upsampled.map { $0 - low }, maximum: range > 1e-6 ? range : 0))
        try PNGImage(width: t.width, height: t.height, channels: 3, pixels: pixels).write(to: directory.file(name))
        count += 1
        return name
    }
}
