import CBLAS

extension Matrix {
    /// `self = alpha · op(a) · op(b) + beta · self`, through `provider` (`GEMMProvider.engine` unless asked otherwise).
    ///
    /// `op(x)` is `x` or its transpose. Shapes are checked, so a wiring mistake fails loudly
    /// instead of reading past a buffer. The product is cut into blocks by its shape alone
    /// (`ProductPartition`), so its bits are the same with or without `pool` and for any pool size;
    /// the pool computes the blocks in parallel when each call runs one thread (`ComputeThreads`).
    public func assignProduct(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0, pool: WorkerPool? = nil, provider: GEMMProvider = .engine
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB && m == rows && n == columns,
                     "product shapes: op(a) \(m)×\(k), op(b) \(kB)×\(n), result \(rows)×\(columns)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { fill(0) } else { scale(by: beta) }
            return
        }
        let product = PartitionedProduct(provider: provider, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                         alpha: alpha, beta: beta, a: a.storage, lda: a.columns, b: b.storage, ldb: b.columns,
                                         c: storage, ldc: columns, partition: ProductPartition(m: m, n: n, k: k))
        if let pool, pool.count > 1, product.partition.blocks > 1, provider.runsOneThreadPerCall {
            pool.run(product)
        } else {
            for block in 0..<product.partition.blocks { product.compute(block: block) }
        }
    }

    /// Multiplies every element by `factor`.
    public func scale(by factor: Float) {
        cblas_sscal(Int32(count), factor, storage, 1)
    }
}

/// Process-wide OpenBLAS settings. OpenBLAS keeps its thread count globally, so this is the
/// one place that touches it.
public enum BLAS {
    /// Sets how many threads OpenBLAS uses for each product.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build description (core type, threading model).
    public static var configuration: String { String(cString: openblas_get_config()) }
}
