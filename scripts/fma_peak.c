// The processor's single-precision multiply-add ceiling: twelve independent chains of 16-wide
// fused multiply-adds per thread, nothing else. docs/performance.md quotes it beside the GEMMs.
//   gcc -O3 -funroll-loops -mavx512f -pthread scripts/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak 2
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { CHAINS = 12 };
static const long ROUNDS = 400000000 / CHAINS;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *run(void *result) {
    __m512 chain[CHAINS], factor = _mm512_set1_ps(1.0000001f), term = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) chain[i] = _mm512_set1_ps((float)i);
    for (long r = 0; r < ROUNDS; r++)
        for (int i = 0; i < CHAINS; i++) chain[i] = _mm512_fmadd_ps(chain[i], factor, term);
    float sum = 0;  // used, so the loop is not removed
    for (int i = 0; i < CHAINS; i++) sum += _mm512_reduce_add_ps(chain[i]);
    *(float *)result = sum;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64) { fprintf(stderr, "fma_peak: threads must be 1-64, got %s\n", argv[1]); return 1; }
    pthread_t thread[64];
    float result[64];
    double start = now();
    for (int t = 0; t < threads; t++) pthread_create(&thread[t], NULL, run, &result[t]);
    for (int t = 0; t < threads; t++) pthread_join(thread[t], NULL);
    double seconds = now() - start, flops = (double)threads * ROUNDS * CHAINS * 16 * 2;
    printf("%d thread(s): %.1f GFLOP/s single-precision FMA peak (checksum %g)\n", threads, flops / seconds / 1e9, result[0]);
    return 0;
}
