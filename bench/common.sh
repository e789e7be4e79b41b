# Shared by the bench/run_*.sh scripts; source it from the repository root.

# Sets $taeval: $TAEVAL when given (an existing optimised build), else the
# release preset's binary, built first.
taeval_binary() {
    taeval=${TAEVAL:-build/release/cli/taeval}
    if [ -z "${TAEVAL:-}" ]; then
        cmake --preset release >/dev/null
        cmake --build --preset release -j "$(nproc)" --target taeval >/dev/null
    fi
}

# One core for every timed process: sets $pin (taskset to CPU 0 when
# available) and stops BLAS threading in the peers.
one_core() {
    pin=""
    command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
    export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
}
