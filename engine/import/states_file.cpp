// states.csv and providers.csv.
#include "engine/import/bundle_importer.hpp"

#include <algorithm>
#include <set>

namespace taeval::engine::import_detail {

std::optional<PutResult> BundleImporter::put_state(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    State s{row.required("iso3"), row.required("name"), row.required("region")};
    if (!s.iso3.empty() && !(s.iso3.size() == 3 && std::all_of(s.iso3.begin(), s.iso3.end(), [](char c) {
                                 return c >= 'A' && c <= 'Z';
                             })))
        row.fail("iso3", s.iso3, "an ISO 3166-1 alpha-3 code: three capital letters");
    if (!row.ok()) return std::nullopt;
    return m_store.put(s, at, replace);
}

std::optional<PutResult> BundleImporter::put_provider(Row& row, Provenance at)
{
    const bool replace = m_options.replace;
    Provider p{row.code("code"), row.required("name"), row.required("kind")};
    static const std::set<std::string> kinds{"donor", "agency", "ngo", "government"};
    if (!p.kind.empty() && !kinds.count(p.kind)) row.fail("kind", p.kind, "one of: donor, agency, ngo, government");
    if (!row.ok()) return std::nullopt;
    return m_store.put(p, at, replace);
}

}  // namespace taeval::engine::import_detail
