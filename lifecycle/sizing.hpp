#pragma once
// Clause sizing: how many insertion hours a contract owes.
//
//     hours = amount excl. VAT × labour share × insertion rate ÷ hourly labour cost
//
// e.g. 1 000 000 € × 0.50 × 0.05 ÷ 30 €/h = 833.33 h, reported as 833 h (rounded to the nearest
// hour). The labour share depends on the trade: a default table (LabourShareTable::Defaults) keyed
// by ROME 4.0 fiche, domaine professionnel and grand domaine, and by CPV code prefix, gives the
// conventional figures facilitators start from (painting ~70%, masonry ~50%, steel frames ~20%).
// They are defaults, not measurements: a facilitator overrides them per territory (a CSV file,
// see docs/lifecycle.md) or per contract (an explicit labour share).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/contract.hpp"
#include "model/criteria.hpp"
#include "model/rome_code.hpp"
#include "model/validation.hpp"

namespace clausematch::lifecycle {

// What a labour-share entry is keyed by. Lookups go from the most to the least specific.
enum class TradeKeyKind {
  kRomeFiche,         // "F1606" (a ROME 4.0 code or a historical v3 parent code)
  kRomeDomaine,       // domaine professionnel "F16" (the fiche code's first three characters)
  kRomeGrandDomaine,  // grand domaine "F"
  kCpv,               // CPV code prefix: "45" (division), "454421" (Travaux de peinture)...
};

std::string_view Code(TradeKeyKind kind);  // "rome_fiche", "rome_domaine", "rome_grand_domaine", "cpv"
std::optional<TradeKeyKind> ParseTradeKeyKind(std::string_view code);

struct LabourShareEntry {
  TradeKeyKind kind = TradeKeyKind::kRomeFiche;
  std::string key;  // normalised: CPV prefixes hold digits only, without trailing zeros
  double share = 0.0;
  std::string label;
  bool user_defined = false;  // set by an override rather than the built-in defaults
};

class LabourShareTable {
 public:
  // The built-in conventional figures (see docs/lifecycle.md for the table and where it comes from).
  static LabourShareTable Defaults();

  // Adds or replaces an entry. Returns a problem when the key is malformed or the share is not in
  // (0, 1].
  std::optional<model::Problem> Set(TradeKeyKind kind, std::string_view key, double share, std::string label,
                                    bool user_defined = true);

  // Fiche, then its historical parent (when given), then its domaine professionnel, then its grand
  // domaine. nullptr when nothing matches.
  [[nodiscard]] const LabourShareEntry* ForFiche(model::RomeCode fiche, model::RomeCode parent = {}) const;
  // Longest CPV prefix of `cpv` ("45442100-8", "45442100" or "454421" all work).
  [[nodiscard]] const LabourShareEntry* ForCpv(std::string_view cpv) const;

  [[nodiscard]] const std::vector<LabourShareEntry>& entries() const { return entries_; }

 private:
  [[nodiscard]] const LabourShareEntry* Find(TradeKeyKind kind, std::string_view key) const;
  std::vector<LabourShareEntry> entries_;
};

// "45442100-8" -> "454421": the digits before the check digit, trailing zeros removed. Empty when
// the text is not a CPV code or prefix.
std::string NormaliseCpvPrefix(std::string_view cpv);

struct SizingInput {
  double amount_excl_vat_eur = 0.0;
  double labour_share = 0.0;    // (0, 1]
  double insertion_rate = 0.0;  // (0, 1]
  double hourly_cost_eur = 30.0;
};

struct Sizing {
  double exact_hours = 0.0;           // the formula's value
  double hours = 0.0;                 // rounded to the nearest whole hour
  double labour_amount_eur = 0.0;     // amount × labour share
  double insertion_amount_eur = 0.0;  // labour amount × insertion rate
};

// Below any real labour cost (the SMIC alone is over ten times more): a smaller one is a unit mistake.
inline constexpr double kMinHourlyCostEur = 1.0;

// Every invalid input is reported (field paths "/amount_excl_vat_eur", ...); no result then. The
// inputs must be finite, the amount in (0, model::kMaxAmountEur], the shares in (0, 1], the hourly
// cost at least kMinHourlyCostEur; and the result at most model::kMaxInsertionHours (else a
// problem at /amount_excl_vat_eur), so a sizing never yields an infinite or absurd figure to store.
std::optional<Sizing> SizeClause(const SizingInput& input, model::Problems& problems);

// Records a sizing on a contract: its amount, `sizing` and `insertion_hours`.
void ApplySizing(model::Contract& contract, const SizingInput& input, const Sizing& sizing);

// The publics a clause usually accepts (docs/domain.md): long-term and very long-term job
// seekers, RSA/ASS/AAH recipients, RQTH, under-26s, people already employed in an SIAE. And the
// publics funders want first: RSA recipients and under-26s (including ASE leavers).
model::CriterionSet DefaultAcceptedPublics();
model::CriterionSet DefaultPriorityPublics();

}  // namespace clausematch::lifecycle
