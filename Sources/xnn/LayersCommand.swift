import ArgumentParser
import Foundation
import XNNLinearAlgebra
import XNNRuns
import XNNVisualization

struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "Cluster every layer's feature maps by their Grad-CAM weight, per image and explained logit (docs/layers.md).",
        discussion: "Reads the layers/ group of an activation file (scripts/extract_activations.py --layers) and writes the clusters, their maps and weights to one HDF5 file.")

    @Argument(help: ArgumentHelp("An activation file with layer-wise maps (docs/data-format.md, \"Layer-wise maps\").", valueName: "data"))
    var data: String

    @Option(name: .long, help: "The HDF5 file to write (refused if it exists, unless --force).")
    var out: String

    @Option(name: .long, help: "Cluster only the first N images with maps (default: all).")
    var images: Int?

    @Option(name: .long, help: "Seed of the t-SNE embedding.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Also write the pages of the clusters to this folder (index.html; refused if it exists, unless --force).")
    var site: String?

    @OptionGroup var replace: ReplaceOption

    func validate() throws {
        if let images, images < 1 { throw ValidationError("--images must be positive, got \(images)") }
    }

    func run() throws {
        try Terminal.reportingErrors {
            let start = ContinuousClock.now
            let summaries = try LayerClusterRun(seed: seed).run(input: data, output: out, limit: images, force: replace.force) { done, total in
                Terminal.printError("layers: \(done)/\(total) images clustered")
            }
            for layer in summaries {
                print(String(format: "%@: %.1f clusters per image, keeping %.0f %% of the Grad-CAM weight; cluster maps overlap with mean |cos| %.2f",
                             layer.name, layer.meanClusters, layer.meanKeptMass, layer.meanMapOverlap))
            }
            print("wrote \(out) in \(Terminal.duration((ContinuousClock.now - start).seconds))")
            if let site {
                var pages = LayerClusterSite(clustersFile: out, outputDirectory: site)
                pages.force = replace.force
                let count = try pages.build()
                print("wrote \(site)/index.html: \(count) image pages")
            }
        }
    }
}
