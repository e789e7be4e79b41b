#pragma once
// Shared by the tests that check that a refused import or a killed command
// left the database unchanged: every row of every table as sorted text,
// each cell typed (N null, I integer, R real to 17 digits, T text, B blob)
// and separated by a unit separator, so that no two different tables can
// read the same (cells joined without one can: "X, Y" + "Z" = "X" + ", YZ").
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace taeval::test {

inline std::vector<std::string> dump_rows(const std::filesystem::path& db_path)
{
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    std::vector<std::string> tables;
    SQLite::Statement t(db, "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (t.executeStep()) tables.push_back(t.getColumn(0).getString());
    std::vector<std::string> rows;
    for (const auto& table : tables) {
        SQLite::Statement s(db, "SELECT * FROM \"" + table + "\"");
        while (s.executeStep()) {
            std::string row = table;
            for (int c = 0; c < s.getColumnCount(); ++c) {
                const auto col = s.getColumn(c);
                row += '\x1F';
                if (col.isNull()) row += "N";
                else if (col.isInteger()) row += "I" + std::to_string(col.getInt64());
                else if (col.isFloat()) {
                    std::ostringstream x;
                    x.precision(17);
                    x << col.getDouble();
                    row += "R" + x.str();
                } else row += (col.isBlob() ? "B" : "T") + col.getString();
            }
            rows.push_back(std::move(row));
        }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

}  // namespace taeval::test
