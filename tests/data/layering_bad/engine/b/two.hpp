// Planted: engine/a and engine/b include each other.
#include "engine/a/one.hpp"
