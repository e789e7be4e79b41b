#pragma once
// The one exception type of taeval. It lives in the lowest layer so that every
// layer can throw it without an upward include; models/ throws it only for
// invalid arguments (a programmer's or a user's bad input), never for
// numerical trouble, which goes into a result's diagnostics.
#include <stdexcept>
#include <string>

namespace taeval {

/// What went wrong, as the command line reports it (see cli/main.cpp for the
/// exit status of each).
enum class ErrorCode {
    usage,      ///< the command was called wrongly
    bad_input,  ///< input data failed validation
    not_found,  ///< a named thing does not exist
    conflict,   ///< input contradicts what is stored
    internal,   ///< a bug or an environment failure
    busy,       ///< the database is locked by another writer; retrying later may succeed
};

/// An error that ends a command. The message is for a person and complete.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    [[nodiscard]] ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

}  // namespace taeval
