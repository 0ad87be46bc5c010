import Foundation
import XNNLinearAlgebra
import XNNModel
import XNNRuns
import XNNTraining

/// What the review site shows of one run, worked out before any page is written: every image's
/// concepts and their contributions to the first explained output, the heatmaps (averaged over the
/// ensemble, when there is one), and which images the pages pick.
struct ReviewContent {
    let data: ActivationData
    let images: ReviewImages
    /// Every row of the data, in order.
    let rows: [Int]
    /// N × k: the concepts x of every row.
    let concepts: Matrix
    let conceptCount: Int
    /// The first explained output: the one whose contributions the site shows.
    let outputName: String
    /// Concept j contributes `weights[j] · x_j` to the output, in the output's own units (s·V_0j);
    /// `bias` (s·b_0 + μ) completes the sum.
    let weights: [Double]
    let bias: Double
    let heatmaps: ReviewHeatmaps
    /// The rows that have heatmaps, in order.
    let rowsWithHeatmaps: [Int]
    /// Why there are no heatmaps, when there are none.
    let heatmapsMissing: String?
    /// Per concept, its agreement with the ensemble members; no values without an ensemble.
    let agreement: [ReviewEnsemble.Agreement]
    /// The run's `training.revive_below`: below this share of active rows a concept is nearly dead.
    let reviveBelow: Double
    /// The run's seed, which also draws the pages' random samples.
    let seed: UInt64
    let header: ReviewRunHeader
    /// The run's faithfulness-tested heatmaps (RUN/heatmaps.h5, docs/heatmaps.md), when it has them
    /// and the site shows the run's own data.
    let tested: ConceptHeatmapFile?
    /// The output's normalisation (z = (y − μ)/s), to give the CNN's score in its own units.
    private let scale: Double, offset: Double

    /// Pages show at most this many images when no ids are asked for.
    static let defaultImagePageCount = 20

    init(site: ReviewSite, progress: (String) -> Void) throws {
        let run = try SavedRun(directory: site.runDirectory)
        data = try run.loadData(file: site.dataFile)
        let model = run.model
        reviveBelow = run.configuration.training.reviveBelow
        seed = UInt64(truncatingIfNeeded: run.configuration.seed)
        header = try ReviewRunHeader(runDirectory: site.runDirectory)
        images = try ReviewImages(file: data.file, rows: data.sampleCount)
        rows = Array(0..<data.sampleCount)
        conceptCount = model.architecture.concepts
        concepts = try data.infer(model, rows: rows).concepts
        let scale = Double(data.targetNormalization.scale[0])
        let v = model.predictor.weight.value
        weights = (0..<conceptCount).map { scale * Double(v[0, $0]) }
        offset = Double(data.targetNormalization.mean[0])
        bias = scale * Double(model.predictor.bias.value[0, 0]) + offset
        self.scale = scale
        outputName = data.targetNames.first ?? "output"
        heatmapsMissing = Self.whyNoHeatmaps(model: model, images: images, file: data.file)

        var heatmaps = ReviewHeatmaps(maps: [:], concepts: conceptCount)
        if heatmapsMissing == nil, let srae = model as? SRAE {
            progress("heatmaps (\(site.method.rawValue)) for \(images.featureMapIndex.count) images")
            heatmaps = ReviewHeatmaps(site.method, model: srae, normalization: data.activationNormalization,
                                      images: images, rows: images.featureMapIndex.keys)
        }
        if site.ensembleRuns.isEmpty {
            self.heatmaps = heatmaps
            agreement = Array(repeating: ReviewEnsemble.Agreement(), count: conceptCount)
        } else {
            let ensemble = try ReviewEnsemble(site.ensembleRuns, mainDirectory: site.runDirectory, mainModel: model,
                                              concepts: concepts, main: heatmaps, data: data, images: images,
                                              method: site.method, progress: progress)
            self.heatmaps = ensemble.heatmaps
            agreement = ensemble.agreement
        }
        rowsWithHeatmaps = self.heatmaps.maps.keys.sorted()
        tested = try Self.testedHeatmaps(site: site, concepts: conceptCount, rows: data.sampleCount)
    }

    /// RUN/heatmaps.h5 when present (and the site is of the run's own data), checked against the run.
    private static func testedHeatmaps(site: ReviewSite, concepts: Int, rows: Int) throws -> ConceptHeatmapFile? {
        let path = (site.runDirectory as NSString).appendingPathComponent(ConceptHeatmapFile.fileName)
        guard site.dataFile == nil, FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try ConceptHeatmapFile(path: path)
        guard file.concepts.count == concepts else {
            throw RunError.notAHeatmapFile(path: path, reason: "made for \(file.concepts.count) concepts, but the run has \(concepts): make it again")
        }
        if let bad = file.concepts.flatMap({ $0 }).first(where: { !(0..<rows).contains($0.row) }) {
            throw RunError.notAHeatmapFile(path: path, reason: "image row \(bad.row) is outside the run's \(rows) rows: make it again")
        }
        return file
    }

    private static func whyNoHeatmaps(model: any ConceptModel, images: ReviewImages, file: String) -> String? {
        if images.featureMaps == nil {
            return "heatmaps need spatial feature maps: \(file) has no 'feature_maps' and 'feature_map_rows' datasets (docs/data-format.md)"
        }
        return model is SRAE ? nil : "heatmaps need an SRAE encoder; this run's model.kind has none"
    }

    /// Concept `j`'s contribution to the output on `row`.
    func contribution(row: Int, concept j: Int) -> Double { weights[j] * Double(concepts[row, j]) }

    /// The output on `row` as the CNN gave it, in its own units.
    func cnnScore(row: Int) -> Double { Double(data.targets[row, 0]) * scale + offset }

    /// The caption of `row`'s image: its id, and its label when the data has labels.
    func caption(row: Int) -> String {
        guard let labels = images.labels else { return images.ids[row] }
        let name = images.classNames.flatMap { labels[row] < $0.count ? $0[labels[row]] : nil } ?? "\(labels[row])"
        return "\(images.ids[row]) · label \(name)"
    }

    /// Every page says why it has no heatmaps, when it has none.
    var heatmapsMissingNote: String { heatmapsMissing.map { "<p class=\"note\">\(HTML.escape($0)).</p>" } ?? "" }

    /// The rows concept pages pick their images from: those with heatmaps when there are any, since
    /// an image without its heatmap shows less of what a concept looks at; else every row.
    var conceptPageCandidates: [Int] { heatmaps.isEmpty ? rows : rowsWithHeatmaps }

    /// The rows of the image pages: those of `ids`, or else up to `defaultImagePageCount` rows taken
    /// round-robin over the labels so every label shows, from the rows with heatmaps or, when there
    /// are none, the held-out rows (every row without any).
    func imagePageRows(ids: [String]) throws -> [Int] {
        guard ids.isEmpty else {
            let index = Dictionary(images.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return try ids.map { id in
                guard let row = index[id] else { throw ReviewSite.ReviewError.unknownImage(id: id, file: data.file) }
                return row
            }
        }
        let pool = heatmaps.isEmpty ? (data.testRows.isEmpty ? rows : data.testRows) : rowsWithHeatmaps
        var byLabel: [Int: [Int]] = [:]
        for row in pool { byLabel[images.labels?[row] ?? 0, default: []].append(row) }
        let groups = byLabel.keys.sorted().map { byLabel[$0]! }
        let count = min(Self.defaultImagePageCount, pool.count)
        var chosen: [Int] = [], depth = 0
        while chosen.count < count {
            for group in groups where depth < group.count && chosen.count < count { chosen.append(group[depth]) }
            depth += 1
        }
        return chosen
    }

    /// The images of concept `j`'s page, from `conceptPageCandidates`: the `top` where it fires with
    /// the largest |contribution| first, and `top` where it is 0 drawn at random (seeded by the run's
    /// seed and j, so the page is the same every time); `firing` counts every one where it fires.
    func conceptImages(_ j: Int, top: Int) -> (firing: Int, strongest: [Int], silent: [Int]) {
        let candidates = conceptPageCandidates
        let firing = candidates.filter { concepts[$0, j] > 0 }
        let strongest = firing.sorted { abs(contribution(row: $0, concept: j)) > abs(contribution(row: $1, concept: j)) }
        let silent = ConceptFacts.sample(candidates.filter { concepts[$0, j] == 0 }, count: top, seed: seed &+ UInt64(j))
        return (firing.count, Array(strongest.prefix(top)), silent)
    }

    /// Concept `j`'s share of active rows over every row, and what that makes it.
    func activity(_ j: Int) -> (share: Double, state: ConceptFacts.State) {
        let share = ConceptFacts.activeShare(rows.map { concepts[$0, j] })
        return (share, ConceptFacts.state(activeShare: share, reviveBelow: reviveBelow))
    }

    /// "label mix of these images: 3 ×12, 5 ×3", or nothing when the data has no labels.
    func labelMixSentence(rows: [Int]) -> String {
        guard let labels = images.labels, !rows.isEmpty else { return "" }
        let mix = ConceptFacts.labelMix(rows: rows, labels: labels, classNames: images.classNames)
        return "Labels of these \(rows.count) images: " + mix.map { "\($0.label) ×\($0.count)" }.joined(separator: ", ") + "."
    }
}
