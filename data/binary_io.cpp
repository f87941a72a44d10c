#include "data/binary_io.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <type_traits>
#include <unordered_map>

namespace clausematch::data {
namespace {

using model::Date;

constexpr char kMagic[8] = {'C', 'M', 'D', 'S', '\x89', '\r', '\n', '\x1a'};
constexpr std::size_t kHeaderSize = 8 + 4 + 4 + 8 + 8;
constexpr std::uint32_t kNoString = 0xffffffffu;
constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();

template <typename E>
constexpr std::size_t EnumCount() {
  if constexpr (std::is_same_v<E, model::Criterion>)
    return model::kCriterionCount;
  else
    return model::Entries(E{}).size();
}

// ---------------------------------------------------------------------------------------------
// Writing. Every method takes a field name (unused here, the reader reports it in errors) so that
// one description of each record, Fields() below, drives both directions.
// ---------------------------------------------------------------------------------------------
class Writer {
 public:
  // `expected_strings`: the distinct strings the index is sized for at the first one (it grows
  // beyond). A one-record dataset (the per-participant fingerprints of service/batch_state.cpp,
  // 300,000 of them on the region) must not pay for a large table.
  explicit Writer(std::size_t expected_strings) : expected_strings_(expected_strings) {}
  // The format version written (fields added by a version are written from it on).
  [[nodiscard]] std::uint32_t version() const { return kBinaryFormatVersion; }
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(std::uint32_t v) { Le(v); }
  void U64(std::uint64_t v) { Le(v); }
  void Count(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) throw BinaryFormatError("dataset.bin: a list is too long");
    U32(static_cast<std::uint32_t>(n));
  }

  void U32(std::string_view, std::uint32_t v) { Le(v); }
  void I32(std::string_view, std::int32_t v) { Le(static_cast<std::uint32_t>(v)); }
  void F64(std::string_view, double v) { Le(std::bit_cast<std::uint64_t>(v)); }
  void Bool(std::string_view, bool v) { U8(v ? 1 : 0); }
  template <typename Tag>
  void Id(std::string_view, model::StrongId<Tag> id) {
    U32(id.value());
  }
  template <typename E>
  void Enum(std::string_view, E v) {
    U8(static_cast<std::uint8_t>(v));
  }
  void Criteria(std::string_view, model::CriterionSet s) { U32(s.bits()); }
  void Licences(std::string_view, model::LicenceSet s) { Le(s.bits()); }
  void Day(std::string_view, Date d) { Le(static_cast<std::uint32_t>(d.days())); }
  void OptDay(std::string_view, const std::optional<Date>& d) {
    Le(static_cast<std::uint32_t>(d ? d->days() : kNoDate));
  }
  void Rome(std::string_view, model::RomeCode c) {
    const auto v = c.view();
    char raw[5] = {};
    std::memcpy(raw, v.data(), v.size());
    out_.append(raw, 5);
  }
  void Str(std::string_view, const std::string& s) { U32(Intern(s)); }
  // A string that is (nearly) unique per record, such as a reference or an e-mail: stored without
  // looking for a duplicate, which would cost a hash lookup for nothing.
  void UniqueStr(std::string_view, const std::string& s) {
    if (s.empty()) return U32(Intern(s));
    if (strings_.empty()) Intern({});  // entry 0 is always ""
    U32(static_cast<std::uint32_t>(strings_.size()));
    strings_.push_back(s);
  }
  void OptStr(std::string_view, const std::optional<std::string>& s) { U32(s ? Intern(*s) : kNoString); }
  template <typename T, typename F>
  void Optional(std::string_view, const std::optional<T>& v, F&& fields) {
    U8(v ? 1 : 0);
    if (v) fields(*v);
  }
  template <typename T, typename F>
  void List(std::string_view, const std::vector<T>& items, std::size_t /*min_item_bytes*/, F&& fields) {
    Count(items.size());
    for (const auto& item : items) fields(item);
  }

  // Appends the string table (u32 n, n+1 u32 offsets, the bytes).
  void AppendStringTable() {
    U32(static_cast<std::uint32_t>(strings_.size()));
    std::uint64_t offset = 0;
    U32(0);
    for (auto s : strings_) {
      offset += s.size();
      if (offset > std::numeric_limits<std::uint32_t>::max())
        throw BinaryFormatError("dataset.bin: string table above 4 GiB");
      U32(static_cast<std::uint32_t>(offset));
    }
    out_.reserve(out_.size() + offset);
    for (auto s : strings_) out_.append(s);
  }
  // Overwrites 8 bytes at `at` (a placeholder written earlier).
  void PatchU64(std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) out_[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string& bytes() { return out_; }

 private:
  template <typename T>
  void Le(T v) {
    char b[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    out_.append(b, sizeof(T));
  }
  // Interned strings are views into the dataset being encoded, which outlives the writer.
  std::uint32_t Intern(std::string_view s) {
    if (strings_.empty()) {
      index_.reserve(expected_strings_);
      strings_.push_back({});
      index_.emplace(std::string_view(), 0);
    }
    auto [it, added] = index_.emplace(s, static_cast<std::uint32_t>(strings_.size()));
    if (added) strings_.push_back(s);
    return it->second;
  }

  std::size_t expected_strings_;
  std::string out_;
  std::vector<std::string_view> strings_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// ---------------------------------------------------------------------------------------------
// Reading: the same methods, filling the fields, checking every value and naming the record.
// ---------------------------------------------------------------------------------------------
class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()), begin_(bytes.data()) {}

  // The version of the file read: fields a later version added are left at their defaults.
  [[nodiscard]] std::uint32_t version() const { return version_; }
  void SetVersion(std::uint32_t v) { version_ = v; }

  // Where in the dataset we are, for error messages ("/participants/12").
  void At(std::string_view section, std::size_t index) {
    section_ = section;
    index_ = index;
  }
  [[noreturn]] void Fail(std::string_view field, const std::string& what) const {
    std::string where = "/" + std::string(section_);
    if (index_ != kNoIndex) where += "/" + std::to_string(index_);
    if (!field.empty()) where += "/" + std::string(field);
    throw BinaryFormatError("dataset.bin: " + where + " (byte " + std::to_string(p_ - begin_) + "): " + what);
  }
  std::uint32_t U32(std::string_view field) { return Le<std::uint32_t>(field); }
  std::uint64_t U64(std::string_view field) { return Le<std::uint64_t>(field); }
  // A list length, checked against what is left so a corrupt count cannot allocate gigabytes.
  std::size_t Count(std::string_view field, std::size_t min_item_bytes) {
    const auto n = U32(field);
    if (static_cast<std::size_t>(end_ - p_) / min_item_bytes < n)
      Fail(field, "list length " + std::to_string(n) + " exceeds the file");
    return n;
  }

  void U32(std::string_view field, std::uint32_t& v) { v = Le<std::uint32_t>(field); }
  void I32(std::string_view field, std::int32_t& v) { v = static_cast<std::int32_t>(Le<std::uint32_t>(field)); }
  void F64(std::string_view field, double& v) { v = std::bit_cast<double>(Le<std::uint64_t>(field)); }
  void Bool(std::string_view field, bool& v) { v = Flag(field); }
  template <typename Tag>
  void Id(std::string_view field, model::StrongId<Tag>& id) {
    id = model::StrongId<Tag>(U32(field));
  }
  template <typename E>
  void Enum(std::string_view field, E& v) {
    const auto raw = Byte(field);
    if (raw >= EnumCount<E>()) Fail(field, "value " + std::to_string(raw) + " out of range");
    v = static_cast<E>(raw);
  }
  void Criteria(std::string_view field, model::CriterionSet& s) {
    const auto bits = U32(field);
    if (bits >> model::kCriterionCount) Fail(field, "criterion bits out of range");
    s = model::CriterionSet::FromBits(bits);
  }
  void Licences(std::string_view field, model::LicenceSet& s) {
    const auto bits = Le<std::uint16_t>(field);
    if (bits >> EnumCount<model::Licence>()) Fail(field, "licence bits out of range");
    s = model::LicenceSet::FromBits(bits);
  }
  void Day(std::string_view field, Date& d) { d = Date::FromDays(static_cast<std::int32_t>(U32(field))); }
  void OptDay(std::string_view field, std::optional<Date>& d) {
    const auto days = static_cast<std::int32_t>(U32(field));
    d = days == kNoDate ? std::nullopt : std::optional<Date>(Date::FromDays(days));
  }
  void Rome(std::string_view field, model::RomeCode& c) {
    Need(5, field);
    const std::string_view raw(p_, 5);
    p_ += 5;
    if (raw == std::string_view("\0\0\0\0\0", 5)) {
      c = {};
      return;
    }
    auto code = model::RomeCode::Parse(raw);
    if (!code) Fail(field, "not a ROME code");
    c = *code;
  }
  void Str(std::string_view field, std::string& s) { s = StrAt(U32(field), field); }
  void UniqueStr(std::string_view field, std::string& s) { Str(field, s); }
  void OptStr(std::string_view field, std::optional<std::string>& s) {
    const auto i = U32(field);
    s = i == kNoString ? std::nullopt : std::optional<std::string>(StrAt(i, field));
  }
  template <typename T, typename F>
  void Optional(std::string_view field, std::optional<T>& v, F&& fields) {
    if (Flag(field)) {
      fields(v.emplace());
    } else {
      v.reset();
    }
  }
  template <typename T, typename F>
  void List(std::string_view field, std::vector<T>& items, std::size_t min_item_bytes, F&& fields) {
    items.resize(Count(field, min_item_bytes));
    for (auto& item : items) fields(item);
  }

  // Reads the string table from `table` (the end of the payload); records may not run into it.
  void UseStringTable(std::string_view table, std::size_t records_end) {
    Reader t(table);
    t.At("strings", kNoIndex);
    const auto n = t.U32("count");
    if (table.size() / 4 < static_cast<std::size_t>(n) + 2) t.Fail("", "table larger than the file");
    offsets_ = t.p_;
    t.p_ += 4 * (static_cast<std::size_t>(n) + 1);
    count_ = n;
    const auto total = OffsetAt(n);
    if (static_cast<std::size_t>(t.end_ - t.p_) != total) t.Fail("", "table size does not match its offsets");
    chars_ = t.p_;
    std::uint32_t prev = 0;
    for (std::uint32_t i = 0; i <= n; ++i) {
      const auto o = OffsetAt(i);
      if (o < prev) t.Fail("", "offsets not increasing at " + std::to_string(i));
      prev = o;
    }
    end_ = begin_ + records_end;
  }
  bool done() const { return p_ == end_; }

 private:
  std::uint32_t version_ = kBinaryFormatVersion;
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  void Need(std::size_t n, std::string_view field) {
    if (static_cast<std::size_t>(end_ - p_) < n) Fail(field, "truncated");
  }
  std::uint8_t Byte(std::string_view field) {
    Need(1, field);
    return static_cast<std::uint8_t>(*p_++);
  }
  bool Flag(std::string_view field) {
    const auto v = Byte(field);
    if (v > 1) Fail(field, "boolean byte " + std::to_string(v));
    return v == 1;
  }
  template <typename T>
  T Le(std::string_view field) {
    Need(sizeof(T), field);
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v = static_cast<T>(v | (static_cast<T>(static_cast<unsigned char>(p_[i])) << (8 * i)));
    p_ += sizeof(T);
    return v;
  }
  std::string_view StrAt(std::uint32_t i, std::string_view field) const {
    if (i >= count_) Fail(field, "string index " + std::to_string(i) + " out of range");
    const auto a = OffsetAt(i);
    return {chars_ + a, OffsetAt(i + 1) - a};
  }
  std::uint32_t OffsetAt(std::uint32_t i) const {
    const char* q = offsets_ + 4 * static_cast<std::size_t>(i);
    return static_cast<std::uint32_t>(static_cast<unsigned char>(q[0])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(q[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(q[2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(q[3])) << 24;
  }

  const char* p_;
  const char* end_;
  const char* begin_;
  const char* offsets_ = nullptr;
  const char* chars_ = nullptr;
  std::uint32_t count_ = 0;
  std::string_view section_ = "header";
  std::size_t index_ = kNoIndex;
};

// ---------------------------------------------------------------------------------------------
// The records, field by field in declaration order: this IS the format. `P` is `const T` when
// writing and `T` when reading. Changing anything here means bumping kBinaryFormatVersion.
// ---------------------------------------------------------------------------------------------
// One criterion proof (a participant's, a placement snapshot's).
template <typename Io, typename C>
void ProofFields(Io& io, C& c) {
  io.Enum("criteria/criterion", c.criterion);
  io.OptDay("criteria/proof_date", c.proof_date);
  io.Str("criteria/validated_by", c.validated_by);
  io.OptDay("criteria/valid_until", c.valid_until);
}

template <typename Io, typename P>
void ParticipantFields(Io& io, P& p) {
  io.Id("id", p.id);
  io.UniqueStr("external_ref", p.external_ref);
  io.Str("prescriber_org", p.prescriber_org);
  io.Enum("prescriber_kind", p.prescriber_kind);
  io.Str("first_name", p.first_name);
  io.Str("last_name", p.last_name);
  io.Day("birth_date", p.birth_date);
  io.OptStr("email", p.email);
  io.OptStr("phone", p.phone);
  io.List("criteria", p.criteria, 13, [&](auto& c) { ProofFields(io, c); });
  io.OptDay("diagnosis_date", p.diagnosis_date);
  io.Optional("derogation", p.derogation, [&](auto& d) {
    io.Day("derogation/granted_on", d.granted_on);
    io.Str("derogation/granted_by", d.granted_by);
    io.Str("derogation/reason", d.reason);
  });
  io.Str("commune_insee", p.commune_insee);
  io.Optional("location", p.location, [&](auto& g) {
    io.F64("location/lat", g.lat);
    io.F64("location/lon", g.lon);
  });
  io.F64("mobility_radius_km", p.mobility_radius_km);
  io.Enum("mobility_mode", p.mobility_mode);
  io.Licences("licences", p.licences);
  io.List("wanted_appellations", p.wanted_appellations, 4, [&](auto& a) { io.U32("wanted_appellations", a); });
  io.List("wanted_fiches", p.wanted_fiches, 5, [&](auto& f) { io.Rome("wanted_fiches", f); });
  io.List("skills", p.skills, 4, [&](auto& s) { io.U32("skills", s); });
  io.Day("available_from", p.available_from);
  io.F64("weekly_hours_wanted", p.weekly_hours_wanted);
  io.Enum("status", p.status);
  io.Bool("consent", p.consent);
  io.OptDay("consent_date", p.consent_date);
  io.Day("registration_date", p.registration_date);
  io.OptDay("last_proposal_date", p.last_proposal_date);
  io.I32("open_proposals", p.open_proposals);
  if (io.version() >= 5) io.Enum("sex", p.sex);  // older files: non renseigné
}

template <typename Io, typename K>
void ContractFields(Io& io, K& k) {
  io.Id("id", k.id);
  io.Str("reference", k.reference);
  io.Str("title", k.title);
  io.Str("buyer", k.buyer);
  io.Str("facilitator_org", k.facilitator_org);
  io.Str("holder", k.holder);
  io.Str("holder_siret", k.holder_siret);
  io.Str("cpv_code", k.cpv_code);
  io.F64("amount_excl_vat_eur", k.amount_excl_vat_eur);
  io.Day("start", k.start);
  io.Day("end", k.end);
  io.Str("worksite_insee", k.worksite_insee);
  io.Optional("worksite_location", k.worksite_location, [&](auto& g) {
    io.F64("worksite_location/lat", g.lat);
    io.F64("worksite_location/lon", g.lon);
  });
  io.Enum("clause_type", k.clause_type);
  io.Criteria("accepted_publics", k.accepted_publics);
  io.Bool("accepts_derogation", k.accepts_derogation);
  io.Bool("accepts_iae_eligibility", k.accepts_iae_eligibility);
  io.Criteria("priority_publics", k.priority_publics);
  io.Bool("qpv_only", k.qpv_only);
  io.I32("iae_level2_required", k.iae_level2_required);
  io.Optional("sizing", k.sizing, [&](auto& s) {
    io.F64("sizing/labour_share", s.labour_share);
    io.F64("sizing/insertion_rate", s.insertion_rate);
    io.F64("sizing/hourly_cost_eur", s.hourly_cost_eur);
  });
  io.F64("insertion_hours", k.insertion_hours);
  io.List("quotas", k.quotas, 13, [&](auto& q) {
    io.Enum("quotas/public", q.public_criterion);
    io.I32("quotas/min_positions", q.min_positions);
    io.F64("quotas/min_share", q.min_share);
  });
  io.Enum("status", k.status);
}

template <typename Io, typename O>
void OpeningFields(Io& io, O& o) {
  io.Id("id", o.id);
  io.Id("contract", o.contract);
  io.U32("appellation", o.appellation);
  io.Rome("fiche", o.fiche);
  io.I32("positions", o.positions);
  io.F64("weekly_hours", o.weekly_hours);
  io.Day("start", o.start);
  io.Day("end", o.end);
  io.Str("worksite_insee", o.worksite_insee);
  io.Optional("worksite_location", o.worksite_location, [&](auto& g) {
    io.F64("worksite_location/lat", g.lat);
    io.F64("worksite_location/lon", g.lon);
  });
  io.Enum("contract_type", o.contract_type);
  io.Licences("required_licences", o.required_licences);
  io.List("required_skills", o.required_skills, 4, [&](auto& s) { io.U32("required_skills", s); });
  io.F64("max_distance_km", o.max_distance_km);
  io.Enum("status", o.status);
}

template <typename Io, typename P>
void PlacementFields(Io& io, P& p) {
  io.Id("id", p.id);
  io.Id("participant", p.participant);
  io.Id("opening", p.opening);
  io.Id("contract", p.contract);
  io.Enum("status", p.status);
  io.Enum("contract_type", p.contract_type);
  io.Enum("route", p.route);
  io.Str("employer", p.employer);
  io.Str("employer_siret", p.employer_siret);
  io.Day("start", p.start);
  io.Day("end", p.end);
  io.F64("weekly_hours", p.weekly_hours);
  io.List("hours", p.hours, 20, [&](auto& h) {
    io.I32("hours/year", h.year);
    io.I32("hours/month", h.month);
    io.F64("hours/hours", h.hours);
    io.Day("hours/reported_on", h.reported_on);
    if (io.version() >= 6)  // older files: hours given as such
      io.Optional("hours/amount", h.amount, [&](auto& a) {
        io.F64("hours/amount/amount_eur", a.amount_eur);
        io.F64("hours/amount/labour_share", a.labour_share);
        io.F64("hours/amount/hourly_cost_eur", a.hourly_cost_eur);
      });
  });
  io.List("outcomes", p.outcomes, 9, [&](auto& o) {
    io.I32("outcomes/months_after_entry", o.months_after_entry);
    io.Enum("outcomes/outcome", o.outcome);
    io.Day("outcomes/recorded_on", o.recorded_on);
  });
  if (io.version() < 4) return;  // version 3 files have no snapshot
  io.Optional("eligibility", p.eligibility, [&](auto& e) {
    io.Day("eligibility/judged_on", e.judged_on);
    io.Day("eligibility/hire_date", e.hire_date);
    io.Str("eligibility/basis", e.basis);
    io.Criteria("eligibility/eligible_by", e.eligible_by);
    io.List("eligibility/criteria", e.criteria, 13, [&](auto& c) { ProofFields(io, c); });
    io.Criteria("eligibility/provisional", e.provisional);
    io.OptDay("eligibility/diagnosis_date", e.diagnosis_date);
    io.Str("eligibility/diagnosed_by", e.diagnosed_by);
    io.Criteria("eligibility/by_diagnosis", e.by_diagnosis);
    io.Optional("eligibility/derogation", e.derogation, [&](auto& d) {
      io.Day("eligibility/derogation/granted_on", d.granted_on);
      io.Str("eligibility/derogation/granted_by", d.granted_by);
      io.Str("eligibility/derogation/reason", d.reason);
    });
    io.List("eligibility/conditions", e.conditions, 5, [&](auto& c) {
      io.Enum("eligibility/conditions/criterion", c.criterion);
      io.Day("eligibility/conditions/renew_by", c.renew_by);
    });
  });
}

// Reads `n` records of one section with `fields`.
template <typename T, typename F>
void ReadSection(Reader& r, std::string_view section, std::size_t n, std::vector<T>& out, F fields) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    r.At(section, i);
    fields(r, out[i]);
  }
}

[[noreturn]] void Unknown(std::string_view where, std::size_t i, std::string_view field, const std::string& what) {
  throw BinaryFormatError("dataset.bin: /" + std::string(where) + "/" + std::to_string(i) + "/" + std::string(field) +
                          ": " + what);
}

void CheckReferences(const model::Dataset& ds, const model::Referential& ref) {
  for (std::size_t i = 0; i < ds.participants.size(); ++i) {
    const auto& p = ds.participants[i];
    if (!p.commune_insee.empty() && !ref.FindCommune(p.commune_insee))
      Unknown("participants", i, "commune_insee", "unknown commune '" + p.commune_insee + "'");
    for (std::size_t a = 0; a < p.wanted_appellations.size(); ++a)
      if (!ref.FindAppellation(p.wanted_appellations[a]))
        Unknown("participants", i, "wanted_appellations/" + std::to_string(a),
                "unknown appellation " + std::to_string(p.wanted_appellations[a]));
  }
  for (std::size_t i = 0; i < ds.contracts.size(); ++i)
    if (!ds.contracts[i].worksite_insee.empty() && !ref.FindCommune(ds.contracts[i].worksite_insee))
      Unknown("contracts", i, "worksite_insee", "unknown commune '" + ds.contracts[i].worksite_insee + "'");
  for (std::size_t i = 0; i < ds.openings.size(); ++i) {
    const auto& o = ds.openings[i];
    if (!ref.FindAppellation(o.appellation))
      Unknown("openings", i, "appellation", "unknown appellation " + std::to_string(o.appellation));
    if (!o.worksite_insee.empty() && !ref.FindCommune(o.worksite_insee))
      Unknown("openings", i, "worksite_insee", "unknown commune '" + o.worksite_insee + "'");
  }
}

}  // namespace

std::uint64_t Checksum64(std::string_view bytes) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ bytes.size();
  std::size_t i = 0;
  auto mix = [&h](std::uint64_t word) {
    h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
  };
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w = 0;
    for (std::size_t b = 0; b < 8; ++b)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i + b])) << (8 * b);
    mix(w);
  }
  if (i < bytes.size()) {
    std::uint64_t w = 0;
    for (std::size_t b = 0; i + b < bytes.size(); ++b)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i + b])) << (8 * b);
    mix(w);
  }
  h ^= h >> 32;
  return h * 0x94d049bb133111ebULL;
}

std::string EncodeBinaryDataset(const model::Dataset& ds) {
  // One buffer: header and table offset as placeholders, the records, the string table; then the
  // placeholders are patched (the strings are known only once every record is written).
  const std::size_t records = ds.participants.size() + ds.contracts.size() + ds.openings.size() + ds.placements.size();
  Writer w(std::min<std::size_t>(std::size_t{1} << 16, 16 + 8 * records));
  w.bytes().reserve(kHeaderSize + 8 + ds.participants.size() * 200 + ds.openings.size() * 90 +
                    ds.contracts.size() * 200);
  w.bytes().append(kMagic, sizeof kMagic);
  w.U32(kBinaryFormatVersion);
  w.U32(0);
  w.U64(0);  // payload size
  w.U64(0);  // checksum
  w.U64(0);  // string table offset, from the start of the payload
  w.OptDay("as_of", ds.as_of);
  w.Str("territory", ds.territory);
  w.Count(ds.participants.size());
  w.Count(ds.contracts.size());
  w.Count(ds.openings.size());
  w.Count(ds.placements.size());
  for (const auto& p : ds.participants) ParticipantFields(w, p);
  for (const auto& k : ds.contracts) ContractFields(w, k);
  for (const auto& o : ds.openings) OpeningFields(w, o);
  for (const auto& p : ds.placements) PlacementFields(w, p);
  const std::size_t table_offset = w.bytes().size() - kHeaderSize;
  w.AppendStringTable();
  w.PatchU64(kHeaderSize, table_offset);
  const std::size_t payload_size = w.bytes().size() - kHeaderSize;
  w.PatchU64(16, payload_size);
  w.PatchU64(24, Checksum64(std::string_view(w.bytes()).substr(kHeaderSize)));
  return std::move(w.bytes());
}

model::Dataset DecodeBinaryDataset(std::string_view bytes, const model::Referential* ref) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 8) != std::string_view(kMagic, 8))
    throw BinaryFormatError("dataset.bin: not a clausematch binary dataset (bad magic)");
  Reader h(bytes.substr(8, kHeaderSize - 8));
  const auto version = h.U32("version");
  if (version < kOldestReadableBinaryVersion || version > kBinaryFormatVersion)
    throw BinaryFormatError("dataset.bin: format version " + std::to_string(version) + ", this build reads version " +
                            std::to_string(kBinaryFormatVersion) + " (regenerate the dataset)");
  const auto flags = h.U32("flags");
  if (flags != 0) throw BinaryFormatError("dataset.bin: unknown flags " + std::to_string(flags));
  const auto size = h.U64("payload_size");
  const auto checksum = h.U64("checksum");
  const std::string_view payload = bytes.substr(kHeaderSize);
  if (payload.size() != size)
    throw BinaryFormatError("dataset.bin: payload is " + std::to_string(payload.size()) + " bytes, header says " +
                            std::to_string(size) + " (truncated file?)");
  if (Checksum64(payload) != checksum) throw BinaryFormatError("dataset.bin: checksum mismatch (corrupt file)");

  Reader r(payload);
  r.SetVersion(version);
  const auto table_offset = r.U64("string_table_offset");
  if (table_offset < 8 || table_offset > payload.size()) r.Fail("string_table_offset", "outside the payload");
  r.UseStringTable(payload.substr(table_offset), table_offset);
  model::Dataset ds;
  r.OptDay("as_of", ds.as_of);
  r.Str("territory", ds.territory);
  const std::size_t np = r.Count("participants", 1), nc = r.Count("contracts", 1), no = r.Count("openings", 1),
                    nl = r.Count("placements", 1);
  ReadSection(r, "participants", np, ds.participants,
              [](Reader& io, model::Participant& p) { ParticipantFields(io, p); });
  ReadSection(r, "contracts", nc, ds.contracts, [](Reader& io, model::Contract& k) { ContractFields(io, k); });
  ReadSection(r, "openings", no, ds.openings, [](Reader& io, model::Opening& o) { OpeningFields(io, o); });
  ReadSection(r, "placements", nl, ds.placements, [](Reader& io, model::Placement& p) { PlacementFields(io, p); });
  r.At("end", static_cast<std::size_t>(-1));
  if (!r.done()) r.Fail("", "trailing bytes after the last record");
  if (ref) CheckReferences(ds, *ref);
  ds.Index();
  return ds;
}

void SaveBinaryDataset(const model::Dataset& dataset, const std::string& path) {
  const std::string bytes = EncodeBinaryDataset(dataset);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw std::runtime_error("error writing " + tmp);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
}

model::Dataset LoadBinaryDataset(const std::string& path, const model::Referential* ref) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto size = static_cast<std::size_t>(in.tellg());
  std::string bytes(size, '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) throw std::runtime_error("cannot read " + path);
  try {
    return DecodeBinaryDataset(bytes, ref);
  } catch (const BinaryFormatError& e) {
    std::string what = e.what();
    if (what.rfind("dataset.bin: ", 0) == 0) what = what.substr(13);
    throw BinaryFormatError(path + ": " + what);
  }
}

}  // namespace clausematch::data
