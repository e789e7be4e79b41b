# The README's two commands. Everything else is plain CMake presets.
JOBS ?= $(shell nproc)

.PHONY: run test deps clean

deps:
	./scripts/install-deps.sh

# The main job: the evaluation of the bundled demo portfolio, written to out/.
run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	./build/release/cli/taeval demo --out out/

# The whole test suite, built as CI builds it: warnings are errors, ASan+UBSan.
test: deps
	cmake --preset ci
	cmake --build --preset ci -j $(JOBS)
	ctest --preset ci

clean:
	rm -rf build out
