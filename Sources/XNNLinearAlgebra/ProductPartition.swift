/// How a product C (m × n) = op(A) · op(B) is cut into blocks of C's rows or of its columns, each
/// block one single-threaded GEMM (`GEMMProvider`) over the whole of K.
///
/// The cut depends on the shape alone, never on the thread count, so the bits of C do not either:
/// OpenBLAS's own threading splits M, N and the blocking of K by its thread count (OpenBLAS 0.3.21,
/// 1 against 2 threads: with the Haswell kernels 2,059 of the 40,000 elements of a 50×128·128×800
/// product differ; with the Zen kernels 60 % of a 2000×3000·3000×2000 one), which made one seed
/// train to different weights at 1 and 2 threads. A `WorkerPool` only decides which
/// worker computes which block (docs/reliability.md, "Threads and reproducibility").
public struct ProductPartition: Equatable, Sendable {
    /// Blocks of C's rows (true) or of its columns (false): the longer side is cut, so the operand
    /// each block packs again (the one the cut does not touch) is the smaller one.
    public let splitsRows: Bool
    /// Rows or columns per block; the last block may be shorter.
    public let blockLength: Int
    public let blocks: Int

    /// Least multiply-adds per block: below ~2 M, waking a worker costs about what it saves.
    static let smallestBlockWork = 1 << 21
    /// Narrowest block: with a packing library each block packs the uncut operand again (the own
    /// kernels re-read it instead), which costs ~5 % of a block this narrow and less for wider ones.
    static let narrowestBlock = 128
    /// Most blocks: a power of two, so one, two or four workers get equal shares; more would only
    /// repack the uncut operand more often.
    static let mostBlocks = 4
    /// Block lengths are rounded up to a multiple of this, so blocks start on SIMD-sized tiles.
    static let granule = 16

    public init(m: Int, n: Int, k: Int) {
        splitsRows = m > n
        let length = splitsRows ? m : n
        let work = m * n * k
        var count = 1
        while count * 2 <= Self.mostBlocks && length / (count * 2) >= Self.narrowestBlock
                && work / (count * 2) >= Self.smallestBlockWork {
            count *= 2
        }
        let share = (length + count - 1) / count
        blockLength = max(1, (share + Self.granule - 1) / Self.granule * Self.granule)
        blocks = max(1, (length + blockLength - 1) / blockLength)
    }
}

/// One product's operands, cut by a `ProductPartition`: any block can be computed on any thread.
struct PartitionedProduct {
    let provider: GEMMProvider
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let alpha: Float, beta: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let c: UnsafeMutablePointer<Float>, ldc: Int
    let partition: ProductPartition

    /// C's block `index` = α · op(A)'s matching rows (or all of op(A)) · op(B)'s matching columns (or all) + β · C's block.
    func compute(block index: Int) {
        let start = index * partition.blockLength
        var a = self.a, b = self.b, c = self.c, rows = m, columns = n
        if partition.splitsRows {
            rows = min(partition.blockLength, m - start)
            a += transposeA ? start : start * lda
            c += start * ldc
        } else {
            columns = min(partition.blockLength, n - start)
            b += transposeB ? start * ldb : start
            c += start
        }
        provider.multiply(transposeA: transposeA, transposeB: transposeB, m: rows, n: columns, k: k, alpha: alpha,
                          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

/// The pool's reusable task for products: worker w computes blocks w, w + workers, …
/// (one object per pool, so running a product allocates nothing).
final class ProductTask: WorkerTask {
    var product: PartitionedProduct?
    var workers = 1

    func run(worker: Int) {
        guard let product else { return }
        for block in stride(from: worker, to: product.partition.blocks, by: workers) { product.compute(block: block) }
    }
}
