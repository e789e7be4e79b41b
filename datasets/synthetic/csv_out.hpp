#pragma once
// The generator's CSV writer (private to datasets/synthetic).
#include <array>
#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "datasets/synthetic/generator.hpp"
#include "models/error.hpp"

namespace taeval::synthetic::detail {

// A CSV file written through a large buffer: RFC 4180 quoting, LF line ends.
class CsvOut {
public:
    CsvOut(const std::filesystem::path& path, std::initializer_list<std::string_view> header) : m_path(path)
    {
        m_file.open(path, std::ios::binary | std::ios::trunc);
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + path.string());
        for (auto h : header) field(h);
        end_row();
        m_rows = 0;
    }
    CsvOut& field(std::string_view v)
    {
        separator();
        if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
            m_buf.append(v);
        } else {
            m_buf += '"';
            for (char c : v) {
                if (c == '"') m_buf += '"';
                m_buf += c;
            }
            m_buf += '"';
        }
        return *this;
    }
    CsvOut& num(double v)
    {
        separator();
        if (v == 0) v = 0;
        std::array<char, 64> buf{};
        const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
        m_buf.append(buf.data(), r.ptr);
        return *this;
    }
    CsvOut& empty()
    {
        separator();
        return *this;
    }
    void end_row()
    {
        m_buf += '\n';
        m_first = true;
        ++m_rows;
        if (m_buf.size() >= (1U << 20)) flush();
    }
    GeneratedFile close()
    {
        flush();
        m_file.close();
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + m_path.string());
        return {m_path, m_rows};
    }

private:
    void separator()
    {
        if (!m_first) m_buf += ',';
        m_first = false;
    }
    void flush()
    {
        m_file.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        if (!m_file) throw Error(ErrorCode::internal, "generate: cannot write " + m_path.string());
        m_buf.clear();
    }

    std::filesystem::path m_path;
    std::ofstream m_file;
    std::string m_buf;
    bool m_first = true;
    std::size_t m_rows = 0;
};

}  // namespace taeval::synthetic::detail
