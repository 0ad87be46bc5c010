import XNNRuns

/// `xnn visualize`: a self-contained review site for one trained run (index.html, a page per
/// concept, a page per chosen image, PNGs beside them), written into a staging folder and renamed
/// into place, never over an existing folder unless `force`.
public struct ReviewSite {
    public var runDirectory: String
    public var outputDirectory: String
    public var top = 16
    /// Image ids for image pages; empty: 20 images with feature maps, spread over the labels.
    public var imageIDs: [String] = []
    public var method: ConceptHeatmaps.Method = .gradCAM
    /// Another activation file of the same layout instead of the run's own.
    public var dataFile: String?
    public var force = false
    /// Other runs of the same setting (other seeds): their concepts are matched to this run's, and
    /// the heatmaps of matched concepts are averaged over the whole ensemble.
    public var ensembleRuns: [String] = []

    public init(runDirectory: String, outputDirectory: String) {
        self.runDirectory = runDirectory
        self.outputDirectory = outputDirectory
    }

    public struct Summary: Sendable {
        public let directory: String
        public let concepts: Int
        public let imagePages: Int
        public let pngFiles: Int
        /// Why there are no heatmaps, when there are none.
        public let heatmapsMissing: String?
        /// Two plain sentences on the run's numbers (faithfulness; acceptance and concepts alive).
        public let numbers: [String]
    }

    public enum ReviewError: Error, CustomStringConvertible, Equatable {
        case unknownImage(id: String, file: String)
        public var description: String {
            switch self {
            case .unknownImage(let id, let file): return "\(file): dataset 'image_ids': expected an id given to --images, found no '\(id)'"
            }
        }
    }

    public func build(progress: (String) -> Void = { _ in }) throws -> Summary {
        try RunDirectory.produce(at: outputDirectory, force: force) { try write(into: $0, progress: progress) }
    }

    /// Works out what the site shows once, then writes the pages from it; the overview comes last
    /// because it links the image pages chosen.
    private func write(into directory: RunDirectory, progress: (String) -> Void) throws -> Summary {
        let content = try ReviewContent(site: self, progress: progress)
        var pngs = try ReviewPNGWriter(into: directory, content: content)
        let imageRows = try content.imagePageRows(ids: imageIDs)
        progress("\(imageRows.count) image pages")
        try writeImagePages(imageRows, content: content, pngs: &pngs, into: directory)
        progress("\(content.conceptCount) concept pages, top \(top)")
        try writeConceptPages(content: content, pngs: &pngs, into: directory)
        try writeOverviewPage(content: content, imageRows: imageRows, into: directory)
        return Summary(directory: directory.destination.path, concepts: content.conceptCount, imagePages: imageRows.count,
                       pngFiles: pngs.count, heatmapsMissing: content.heatmapsMissing,
                       numbers: content.header.plainLines(outputName: content.outputName, states: (0..<content.conceptCount).map { content.activity($0).state }))
    }
}
