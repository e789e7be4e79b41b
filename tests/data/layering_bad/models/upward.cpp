// Planted: models/ must not include from engine/.
#include "engine/storage/database.hpp"
