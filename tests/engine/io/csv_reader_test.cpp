#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "engine/io/csv_reader.hpp"
#include "models/error.hpp"

using namespace taeval;

namespace {
std::filesystem::path write_temp(const std::string& name, const std::string& content)
{
    const auto path = std::filesystem::temp_directory_path() / ("taeval_csv_" + name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
}
}  // namespace

TEST_CASE("CSV reader handles quotes, embedded newlines, CRLF and a BOM", "[engine][csv]")
{
    const auto path = write_temp("rfc.csv",
                                 "\xEF\xBB\xBF"
                                 "code,title\r\n"
                                 "A,\"Workshop, regional\"\r\n"
                                 "\r\n"
                                 "B,\"Two\nlines\"\r\n"
                                 "C,\"He said \"\"yes\"\"\"\r\n");
    engine::CsvReader reader(path);
    REQUIRE(reader.header() == std::vector<std::string>{"code", "title"});
    engine::CsvRecord r;
    REQUIRE(reader.next(r));
    CHECK(r.fields == std::vector<std::string>{"A", "Workshop, regional"});
    CHECK(r.line == 2);
    REQUIRE(reader.next(r));
    CHECK(r.fields == std::vector<std::string>{"B", "Two\nlines"});
    CHECK(r.line == 4);
    REQUIRE(reader.next(r));
    CHECK(r.fields == std::vector<std::string>{"C", "He said \"yes\""});
    CHECK(r.line == 6);
    CHECK_FALSE(reader.next(r));
}

TEST_CASE("CSV reader reports an unterminated quote with its line", "[engine][csv]")
{
    const auto path = write_temp("unterminated.csv", "a,b\n1,2\n3,\"open\n");
    engine::CsvReader reader(path);
    engine::CsvRecord r;
    REQUIRE(reader.next(r));
    CHECK_THROWS_WITH(reader.next(r), Catch::Contains(":3:") && Catch::Contains("never closed"));
}

TEST_CASE("CSV reader rejects a stray quote and a missing file", "[engine][csv]")
{
    const auto path = write_temp("stray.csv", "a,b\n1,x\"y\n");
    engine::CsvReader reader(path);
    engine::CsvRecord r;
    CHECK_THROWS_WITH(reader.next(r), Catch::Contains(":2:") && Catch::Contains("malformed"));
    CHECK_THROWS_AS(engine::CsvReader("/nonexistent/taeval.csv"), Error);
}

TEST_CASE("CSV reader closes its file and frees its parser when the header is malformed", "[engine][csv]")
{
    // The constructor throws, so ~CsvReader does not run: the file and the
    // parser's buffer must be released by what the reader owns (found by the
    // import fuzzer; LeakSanitizer reports the buffer, the count of open
    // descriptors shows the file).
    const auto path = write_temp("bad_header.csv", "code,\"title\n");
    const auto open_files = [] {
        const auto fds = std::filesystem::path("/proc/self/fd");
        return std::distance(std::filesystem::directory_iterator(fds), std::filesystem::directory_iterator{});
    };
    const auto before = open_files();
    for (int i = 0; i < 20; ++i)
        CHECK_THROWS_WITH(engine::CsvReader(path), Catch::Contains(":1:") && Catch::Contains("never closed"));
    CHECK(open_files() == before);
}

TEST_CASE("CSV reader reads an 8 MiB field, quoted over many lines or on one line", "[engine][csv]")
{
    // libcsv grew its buffer 128 bytes at a time, so such a field took
    // half an hour under ASan and this test ran into CTest's timeout (found
    // by the import fuzzer). It checks the content: no timing.
    const std::size_t lines = (8u << 20) / 9;  // 9 bytes each, 7 once unquoted
    std::string quoted;
    quoted.reserve(lines * 9);
    for (std::size_t i = 0; i < lines; ++i) quoted += "a, \"\"b\"\"\n";
    const std::string flat(8u << 20, 'x');
    const auto path = write_temp("long_field.csv", "code,title\nA,\"" + quoted + "\"\nB," + flat + "\nC,c\n");
    engine::CsvReader reader(path);
    engine::CsvRecord r;
    REQUIRE(reader.next(r));
    REQUIRE(r.fields.size() == 2);
    CHECK(r.fields[1].size() == lines * 7);
    CHECK(r.fields[1].compare(0, 7, "a, \"b\"\n") == 0);
    REQUIRE(reader.next(r));
    CHECK(r.line == 2 + lines + 1);
    CHECK(r.fields[1] == flat);
    REQUIRE(reader.next(r));
    CHECK(r.fields == std::vector<std::string>{"C", "c"});
    CHECK_FALSE(reader.next(r));
}

TEST_CASE("CSV table gives numeric columns with missing cells as NaN", "[engine][csv]")
{
    const auto path = write_temp("table.csv", "t,y\n1,2.5\n2,\n3,NA\n4,1e3\n");
    const auto table = engine::read_csv_table(path);
    const auto y = table.numeric("y", true);
    REQUIRE(y.size() == 4);
    CHECK(y[0] == 2.5);
    CHECK(std::isnan(y[1]));
    CHECK(std::isnan(y[2]));
    CHECK(y[3] == 1000.0);
    CHECK_THROWS_WITH(table.numeric("y", false), Catch::Contains("2 problem(s)") && Catch::Contains(":3:2"));
    CHECK_THROWS_WITH(table.numeric("z", true), Catch::Contains("the columns are: t, y"));
}

TEST_CASE("CSV table reports every non-number with file, line and column", "[engine][csv]")
{
    const auto path = write_temp("bad.csv", "y\n1\nabc\n2\ninf\n");
    const auto table = engine::read_csv_table(path);
    CHECK_THROWS_WITH(table.numeric("y", true),
                      Catch::Contains(":3:1 (y): 'abc'") && Catch::Contains(":5:1 (y): 'inf'"));
}
