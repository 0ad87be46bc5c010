import ArgumentParser
import Foundation
import XNNLinearAlgebra
import XNNVisualization

struct VisualizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Write a review site for a trained run: concept overview, concept pages with heatmaps, image pages.",
        discussion: "Opens offline: OUT/index.html. Heatmaps need feature maps in the data file (docs/data-format.md).")

    @Argument(help: ArgumentHelp("A run directory written by xnn train; more runs (other seeds) form an ensemble whose matched heatmaps are averaged.", valueName: "run"))
    var runDirectories: [String]

    @Option(name: .long, help: "The site's folder (refused if it exists, unless --force).")
    var out: String

    @Option(name: .long, help: "Images per concept page.")
    var top = 16

    @Option(name: .long, parsing: .upToNextOption, help: "Image ids for image pages (default: 20 spread over the labels).")
    var images: [String] = []

    @Option(name: .long, help: "Heatmap method (docs/method.md §6).")
    var method = ConceptHeatmaps.Method.gradCAM

    @Option(name: .long, help: "Another activation file of the same layout instead of the run's own.")
    var data: String?

    @OptionGroup var replace: ReplaceOption

    func validate() throws {
        guard !runDirectories.isEmpty else { throw ValidationError("give at least one run directory") }
        guard top > 0 else { throw ValidationError("--top must be positive, got \(top)") }
    }

    func run() throws {
        try Terminal.reportingErrors {
            let start = ContinuousClock.now
            var site = ReviewSite(runDirectory: runDirectories[0], outputDirectory: out)
            site.ensembleRuns = Array(runDirectories.dropFirst())
            site.top = top
            site.imageIDs = images
            site.method = method
            site.dataFile = data
            site.force = replace.force
            let summary = try site.build { Terminal.printError("visualize: \($0)") }
            if let missing = summary.heatmapsMissing { Terminal.printError("visualize: note: \(missing)") }
            print(String(format: "wrote %@/index.html: %d concept pages, %d image pages, %d PNGs in %.1f s", summary.directory,
                         summary.concepts, summary.imagePages, summary.pngFiles,
                         (ContinuousClock.now - start).seconds))
            summary.numbers.forEach { print($0) }
        }
    }
}
