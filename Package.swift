// swift-tools-version: 6.0
// XNN-Swift: explanation spaces for image classifiers (see README.md and docs/method.md).
import PackageDescription

let package = Package(
    name: "XNN",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xnn", targets: ["xnn"]),
        .library(name: "XNN", targets: ["XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNTraining", "XNNEvaluation", "XNNClustering", "XNNRuns", "XNNBenchmark", "XNNVisualization"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C libraries from Debian, each behind one thin system-library target.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // Layer 1: row-major Float32 matrices on BLAS, seeded randomness, worker threads,
        // and the kernels written in C: the engine's products and the element-wise passes Swift
        // cannot vectorise.
        .target(name: "XNNKernels", exclude: ["README.md"]),
        .target(name: "XNNLinearAlgebra", dependencies: ["CBLAS", "CDNNL", "XNNKernels"], exclude: ["README.md"]),
        // Layer 2: HDF5 arrays and YAML configuration.
        .target(name: "XNNStorage", dependencies: ["CHDF5", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        // Layer 3: layers, the SRAE, its losses and the optimiser.
        .target(name: "XNNModel", dependencies: ["XNNLinearAlgebra", "XNNKernels"], exclude: ["README.md"]),
        // Layer 4: metrics without humans (docs/method.md §5), on matrices: the recipe's acceptance
        // test and every report measure through them.
        .target(name: "XNNEvaluation", dependencies: ["XNNLinearAlgebra"], exclude: ["README.md"]),
        // Layer 4: layer-wise feature-map clustering (docs/layers.md): Ward, silhouette, t-SNE.
        .target(name: "XNNClustering", dependencies: ["XNNLinearAlgebra"], exclude: ["README.md"]),
        // Layer 5: run configuration, data sets and the training recipe.
        .target(name: "XNNTraining", dependencies: ["XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNEvaluation", "XNNClustering", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        // Layer 6: run directories: train, evaluate and save; load a saved model.
        .target(name: "XNNRuns", dependencies: ["XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNTraining", "XNNEvaluation", "XNNClustering", .product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        // Layer 7: concept heatmaps (docs/method.md §6), colour maps and PNG files for review pages.
        .target(name: "XNNVisualization", dependencies: ["XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNTraining", "XNNEvaluation", "XNNClustering", "XNNRuns", "CPNG"], exclude: ["README.md"]),
        // Layer 7: `xnn bench`: the step's products at their shapes, the engine, `xnn train`'s
        // overheads and the PyTorch and JAX peers on the same data.
        .target(name: "XNNBenchmark", dependencies: ["XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNTraining", "XNNRuns"], exclude: ["README.md"]),
        // The command line's process controls in C (prctl is variadic, so Swift cannot call it).
        .target(name: "CProcessControl"),
        // The thin command-line tool.
        .executableTarget(name: "xnn", dependencies: [
            "CProcessControl", "XNNLinearAlgebra", "XNNStorage", "XNNModel", "XNNEvaluation", "XNNTraining", "XNNRuns", "XNNBenchmark", "XNNVisualization",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),

        // Test-only: fixtures every test target shares (a temporary folder per test).
        .target(name: "XNNTestSupport", path: "Tests/XNNTestSupport"),
        .testTarget(name: "XNNLinearAlgebraTests", dependencies: ["XNNLinearAlgebra"]),
        .testTarget(name: "XNNStorageTests", dependencies: ["XNNTestSupport", "XNNStorage"]),
        // Test-only: counts heap allocations to prove the training step makes none.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "XNNModelTests", dependencies: ["XNNModel", "XNNLinearAlgebra", "AllocationCounter"]),
        .testTarget(name: "XNNTrainingTests", dependencies: ["XNNTestSupport", "XNNTraining", "XNNStorage", "XNNModel", "XNNLinearAlgebra"], exclude: ["Fixtures"]),
        .testTarget(name: "XNNEvaluationTests", dependencies: ["XNNEvaluation", "XNNLinearAlgebra"], exclude: ["Fixtures"]),
        .testTarget(name: "XNNClusteringTests", dependencies: ["XNNClustering", "XNNLinearAlgebra"], exclude: ["Fixtures"]),
        .testTarget(name: "xnnTests", dependencies: ["XNNTestSupport", "XNNStorage", "XNNRuns", "XNNBenchmark"]),
        .testTarget(name: "XNNVisualizationTests", dependencies: ["XNNTestSupport", "XNNVisualization", "XNNModel", "XNNTraining", "XNNLinearAlgebra"]),
        .testTarget(name: "XNNBenchmarkTests", dependencies: ["XNNBenchmark", "XNNTraining", "XNNModel"]),
        .testTarget(name: "XNNRunsTests", dependencies: ["XNNTestSupport", "XNNRuns", "XNNClustering", "XNNEvaluation", "XNNTraining", "XNNStorage", "XNNModel", "XNNLinearAlgebra"]),
    ]
)
