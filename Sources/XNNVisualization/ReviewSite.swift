import Foundation
import XNNLinearAlgebra
import XNNEvaluation
import XNNModel
import XNNRuns
import XNNTraining

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

    private func write(into directory: RunDirectory, progress: (String) -> Void) throws -> Summary {
        let run = try SavedRun(directory: runDirectory)
        let data = try run.loadData(file: dataFile)
        let model = run.model
        let images = try ReviewImages(file: data.file, rows: data.sampleCount)
        let n = data.sampleCount, k = model.architecture.concepts
        let allRows = Array(0..<n)
        let (x, _) = try data.infer(model, rows: allRows)

        // Contributions to the first explained output, in its own units: s·V_0j·x_j, plus s·b_0 + μ.
        let scale = Double(data.targetNormalization.scale[0]), offset = Double(data.targetNormalization.mean[0])
        let v = model.predictor.weight.value
        let weights = (0..<k).map { scale * Double(v[0, $0]) }
        let bias = scale * Double(model.predictor.bias.value[0, 0]) + offset
        func contribution(_ row: Int, _ j: Int) -> Double { weights[j] * Double(x[row, j]) }
        let outputName = data.targetNames.first ?? "output"

        // Heatmaps for rows with feature maps, each concept scaled by its largest value over them.
        var heatmapsMissing: String?
        if images.featureMaps == nil {
            heatmapsMissing = "heatmaps need spatial feature maps: \(data.file) has no 'feature_maps' and 'feature_map_rows' datasets (docs/data-format.md)"
        } else if !(model is SRAE) {
            heatmapsMissing = "heatmaps need an SRAE encoder; this run's model.kind has none"
        }
        var heatmaps: [Int: [[Float]]] = [:]
        var maxima = [Float](repeating: 0, count: k)
        if heatmapsMissing == nil, let maps = images.featureMaps, let sraeModel = model as? SRAE {
            progress("heatmaps (\(method.rawValue)) for \(images.featureMapIndex.count) images")
            let size = maps.height * maps.width * maps.dimension
            for (row, index) in images.featureMapIndex {
                let heat = maps.values.withUnsafeBufferPointer {
                    ConceptHeatmaps.compute(method, model: sraeModel, normalization: data.activationNormalization,
                                            featureMap: $0.baseAddress! + index * size, height: maps.height, width: maps.width)
                }
                heatmaps[row] = heat
                for j in 0..<k { maxima[j] = max(maxima[j], heat[j].max() ?? 0) }
            }
        }

        // Ensemble: match each member's concepts to ours, average the matched maps (each scaled by
        // its own concept maximum), and measure agreement of activations and of heatmaps.
        var agreement: [(activation: [Double], heatmap: [Double])] = Array(repeating: ([], []), count: k)
        if !ensembleRuns.isEmpty {
            var sums = heatmaps.mapValues { maps in maps.enumerated().map { j, m in ColorMap.normalized(m, maximum: maxima[j]) } }
            var members = [Int](repeating: 1, count: k)
            for memberDirectory in ensembleRuns {
                progress("ensemble member \(memberDirectory)")
                let member = try SavedRun(directory: memberDirectory)
                guard member.model.architecture.inputDimension == model.architecture.inputDimension else {
                    throw RunError.incompatibleRuns(first: runDirectory, second: memberDirectory, reason: "input dimensions differ")
                }
                let memberData = try member.loadData(file: data.file)
                let (memberX, _) = try memberData.infer(member.model, rows: allRows)
                let matching = ConceptMatching(x, memberX)
                var memberMaps: [Int: [[Float]]] = [:]
                var memberMaxima = [Float](repeating: 0, count: member.model.architecture.concepts)
                if !heatmaps.isEmpty, let maps = images.featureMaps, let sraeMember = member.model as? SRAE {
                    let size = maps.height * maps.width * maps.dimension
                    for row in heatmaps.keys {
                        let heat = maps.values.withUnsafeBufferPointer {
                            ConceptHeatmaps.compute(method, model: sraeMember, normalization: memberData.activationNormalization,
                                                    featureMap: $0.baseAddress! + images.featureMapIndex[row]! * size,
                                                    height: maps.height, width: maps.width)
                        }
                        memberMaps[row] = heat
                        for b in heat.indices { memberMaxima[b] = max(memberMaxima[b], heat[b].max() ?? 0) }
                    }
                }
                for (pair, correlation) in zip(matching.pairs, matching.correlations) {
                    let (j, b) = (pair[0], pair[1])
                    agreement[j].activation.append(correlation)
                    guard !memberMaps.isEmpty else { continue }
                    var ours: [Double] = [], theirs: [Double] = []
                    for (row, maps) in memberMaps {
                        let scaled = ColorMap.normalized(maps[b], maximum: memberMaxima[b])
                        for u in scaled.indices { sums[row]![j][u] += scaled[u] }
                        ours += heatmaps[row]![j].map(Double.init)
                        theirs += maps[b].map(Double.init)
                    }
                    members[j] += 1
                    agreement[j].heatmap.append(RankCorrelation.pearson(ours, theirs))
                }
            }
            heatmaps = sums.mapValues { maps in maps.enumerated().map { j, m in m.map { $0 / Float(members[j]) } } }
            maxima = (0..<k).map { j in heatmaps.values.map { $0[j].max() ?? 0 }.max() ?? 0 }
        }
        func average(_ values: [Double]) -> String { values.isEmpty ? "—" : HTML.number(values.reduce(0, +) / Double(values.count)) }

        var pngs = 0
        var writtenThumbnails = Set<Int>(), writtenHeatmaps = Set<[Int]>()
        func thumbnailFile(_ row: Int) throws -> String {
            let name = "img/thumb-\(row).png"
            if writtenThumbnails.insert(row).inserted {
                let t = images.thumbnail(row: row)
                let rgb = t.channels == 3 ? t.pixels : t.pixels.flatMap { [$0, $0, $0] }
                try PNGImage(width: t.width, height: t.height, channels: 3, pixels: rgb).write(to: directory.file(name))
                pngs += 1
            }
            return name
        }
        func heatmapFile(_ row: Int, _ j: Int) throws -> String? {
            guard let heat = heatmaps[row], let maps = images.featureMaps else { return nil }
            let name = "img/heat-\(row)-\(j).png"
            if writtenHeatmaps.insert([row, j]).inserted {
                let t = images.thumbnail(row: row)
                let upsampled = Upsampling.bilinear(heat[j], height: maps.height, width: maps.width, toHeight: t.height, toWidth: t.width)
                let pixels = ColorMap.overlay(thumbnail: t.pixels, channels: t.channels,
                                              heat: ColorMap.normalized(upsampled, maximum: maxima[j]))
                try PNGImage(width: t.width, height: t.height, channels: 3, pixels: pixels).write(to: directory.file(name))
                pngs += 1
            }
            return name
        }
        try FileManager.default.createDirectory(atPath: directory.file("img"), withIntermediateDirectories: true)
        let note = heatmapsMissing.map { "<p class=\"note\">\(HTML.escape($0)).</p>" } ?? ""
        func label(_ row: Int) -> String {
            guard let labels = images.labels else { return "" }
            let name = images.classNames.flatMap { labels[row] < $0.count ? $0[labels[row]] : nil } ?? "\(labels[row])"
            return " · label \(name)"
        }

        // Image pages: the chosen ids, or 20 rows with feature maps, round-robin over the labels.
        var chosen: [Int]
        if !imageIDs.isEmpty {
            let index = Dictionary(images.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            chosen = try imageIDs.map { id in
                guard let row = index[id] else { throw ReviewError.unknownImage(id: id, file: data.file) }
                return row
            }
        } else {
            let pool = heatmaps.isEmpty ? Array(data.testRows.isEmpty ? allRows : data.testRows) : heatmaps.keys.sorted()
            var byLabel: [Int: [Int]] = [:]
            for row in pool { byLabel[images.labels?[row] ?? 0, default: []].append(row) }
            let groups = byLabel.keys.sorted().map { byLabel[$0]! }
            chosen = []
            var depth = 0
            while chosen.count < min(20, pool.count) {
                for group in groups where depth < group.count && chosen.count < 20 { chosen.append(group[depth]) }
                depth += 1
            }
        }
        progress("\(chosen.count) image pages")
        for row in chosen {
            let values = (0..<k).map { contribution(row, $0) }
            let rebuilt = values.reduce(bias, +)
            let original = Double(data.targets[row, 0]) * scale + offset
            var body = "<p><a href=\"index.html\">overview</a></p><h1>Image \(HTML.escape(images.ids[row]))\(HTML.escape(label(row)))</h1>"
            body += "<img src=\"\(try thumbnailFile(row))\" alt=\"thumbnail\">"
            body += "<p>\(HTML.escape(outputName)): CNN score <b>\(HTML.number(original, 4))</b>, rebuilt from the concepts <b>\(HTML.number(rebuilt, 4))</b> (bias \(HTML.number(bias, 4)))</p>"
            body += HTML.barChart(labels: (0..<k).map { "concept \($0)" } + ["bias"], values: values + [bias])
            body += note + "<div>"
            for j in 0..<k {
                let heat = try heatmapFile(row, j)
                body += "<div class=\"pair\">" + (heat.map { "<img src=\"\($0)\" alt=\"concept \(j) heatmap\"><br>" } ?? "")
                body += "<a href=\"concept-\(j).html\">concept \(j)</a><br>\(HTML.number(values[j]))</div>"
            }
            body += "</div>"
            try directory.write(HTML.page(title: "Image \(images.ids[row])", body: body), to: "image-\(row).html")
        }

        // Concept pages: the top images by contribution (among those with heatmaps, when any) and images where it is 0.
        progress("\(k) concept pages, top \(top)")
        let candidates = heatmaps.isEmpty ? allRows : heatmaps.keys.sorted()
        for j in 0..<k {
            let firing = candidates.filter { x[$0, j] > 0 }
            let best = firing.sorted { abs(contribution($0, j)) > abs(contribution($1, j)) }.prefix(top)
            let silent = candidates.filter { x[$0, j] == 0 }.prefix(top)
            var body = "<p><a href=\"index.html\">overview</a></p><h1>Concept \(j)</h1>"
            body += "<p>weight v̄ = \(HTML.number(weights[j])) on \(HTML.escape(outputName)); fires on \(firing.count) of the \(candidates.count) images \(heatmaps.isEmpty ? "" : "with feature maps ")considered here.</p>" + note
            body += "<h2>Top \(best.count) images by contribution</h2><div>"
            for row in best {
                body += "<div class=\"pair\"><a href=\"image-\(row).html\"><img src=\"\(try thumbnailFile(row))\" alt=\"thumbnail\"></a>"
                if let heat = try heatmapFile(row, j) { body += "<img src=\"\(heat)\" alt=\"heatmap\">" }
                body += "<br>\(HTML.escape(images.ids[row]))\(HTML.escape(label(row))) · \(HTML.number(contribution(row, j)))</div>"
            }
            body += "</div><h2>\(silent.count) images where it is 0</h2><div>"
            for row in silent {
                body += "<div class=\"pair\"><img src=\"\(try thumbnailFile(row))\" alt=\"thumbnail\"><br>\(HTML.escape(images.ids[row]))\(HTML.escape(label(row)))</div>"
            }
            body += "</div>"
            try directory.write(HTML.page(title: "Concept \(j)", body: body), to: "concept-\(j).html")
        }

        // Overview.
        var rows = ""
        for j in 0..<k {
            let values = allRows.map { x[$0, j] }
            let alive = (values.max() ?? 0) > 0
            let mean = allRows.reduce(0.0) { $0 + contribution($1, j) } / Double(max(n, 1))
            rows += "<tr><td><a href=\"concept-\(j).html\">concept \(j)</a></td><td>\(HTML.number(weights[j]))</td><td>\(HTML.number(mean))</td>"
            rows += "<td class=\"\(alive ? "" : "dead")\">\(alive ? "alive" : "dead")</td><td>\(HTML.histogram(values))</td>"
            if !ensembleRuns.isEmpty { rows += "<td>\(average(agreement[j].activation))</td><td>\(average(agreement[j].heatmap))</td>" }
            rows += "</tr>"
        }
        var body = "<h1>Explanation space of \(HTML.escape(runDirectory))</h1>"
        body += "<p>\(k) concepts explaining <b>\(HTML.escape(outputName))</b> on \(n) images of \(HTML.escape(data.file)); heatmaps: \(heatmapsMissing == nil ? method.rawValue : "none")</p>" + note
        if !ensembleRuns.isEmpty {
            body += "<p>Ensemble of \(ensembleRuns.count + 1) runs (\(HTML.escape(([runDirectory] + ensembleRuns).joined(separator: ", ")))): each concept is matched one to one in every member (Hungarian on |correlation| of x); heatmaps are the average of the matched concepts' maps, each scaled to its own maximum. Agreement: mean |r| of the matched activations and mean correlation of the matched heatmaps.</p>"
        }
        let ensembleHeader = ensembleRuns.isEmpty ? "" : "<th>ensemble |r| of x</th><th>heatmap r</th>"
        body += "<table><tr><th>concept</th><th>weight v̄</th><th>mean contribution</th><th>state</th><th>distribution of x_j</th>\(ensembleHeader)</tr>\(rows)</table>"
        body += "<h2>Images</h2><p>" + chosen.map { "<a href=\"image-\($0).html\">\(HTML.escape(images.ids[$0]))</a>" }.joined(separator: " · ") + "</p>"
        try directory.write(HTML.page(title: "XNN review", body: body), to: "index.html")
        return Summary(directory: directory.destination.path, concepts: k, imagePages: chosen.count, pngFiles: pngs, heatmapsMissing: heatmapsMissing)
    }
}
