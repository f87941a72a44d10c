#include "data/json_codec.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace clausematch::data {
namespace {

using model::Date;
using model::Problem;
using model::Problems;

// ---------------------------------------------------------------------------------------------
// Encoding helpers

void PutDate(Json& j, const char* key, Date d) { j[key] = d.ToString(); }
void PutDate(Json& j, const char* key, const std::optional<Date>& d) {
  if (d) j[key] = d->ToString();
}
void PutPoint(Json& j, const char* key, const std::optional<model::GeoPoint>& g) {
  if (g) j[key] = Json{{"lat", g->lat}, {"lon", g->lon}};
}
template <typename Id>
void PutId(Json& j, const char* key, Id id) {
  if (id.valid()) j[key] = id.value();
}
Json CriteriaJson(model::CriterionSet set) {
  Json a = Json::array();
  for (const auto& info : model::AllCriteria())
    if (set.contains(info.criterion)) a.push_back(info.code);
  return a;
}
Json LicencesJson(model::LicenceSet set) {
  Json a = Json::array();
  for (const auto& e : model::Entries(model::Licence{}))
    if (set.contains(e.value)) a.push_back(e.code);
  return a;
}
Json FichesJson(const std::vector<model::RomeCode>& fiches) {
  Json a = Json::array();
  for (const auto& f : fiches) a.push_back(f.str());
  return a;
}

// ---------------------------------------------------------------------------------------------
// Decoding: an ObjectReader reads the members of one JSON object, appending a problem (with its
// JSON pointer) for every member of the wrong type or with an unknown code, and remembers which
// members it read so that unknown members (typos) are reported too.

std::string TypeName(const Json& j) { return j.type_name(); }

class ObjectReader {
 public:
  ObjectReader(const Json& j, std::string base, Problems& problems)
      : j_(j), base_(std::move(base)), problems_(problems) {
    if (!j_.is_object()) Add("", "wrong_type", "expected an object, found " + TypeName(j_));
  }
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  [[nodiscard]] bool ok() const { return j_.is_object(); }
  [[nodiscard]] std::string Ptr(std::string_view key) const { return base_ + "/" + std::string(key); }
  void Add(std::string_view key, std::string code, std::string message) {
    problems_.push_back({key.empty() ? base_ : Ptr(key), std::move(code), std::move(message)});
  }

  // The member, or nullptr when absent or null (null means absent everywhere).
  const Json* Get(std::string_view key) {
    if (!ok()) return nullptr;
    read_.emplace_back(key);
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  const Json* Required(std::string_view key) {
    const Json* v = Get(key);
    if (!v && ok()) Add(key, "required", "is required");
    return v;
  }

  void Str(std::string_view key, std::string& out) {
    if (auto s = OptStr(key)) out = std::move(*s);
  }
  std::optional<std::string> OptStr(std::string_view key) {
    const Json* v = Get(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      WrongType(key, "a string", *v);
      return std::nullopt;
    }
    // Every text member is read here: a NUL would be stored and cut the text short in C strings,
    // logs and exports, so it is refused (JSON's \u0000 is the only way to send one).
    if (v->get_ref<const std::string&>().find('\0') != std::string::npos) {
      Add(key, "invalid_character", "must not contain a NUL character");
      return std::nullopt;
    }
    return v->get<std::string>();
  }
  template <typename T>
  void Int(std::string_view key, T& out) {
    if (const Json* v = Get(key)) IntValue(*v, Ptr(key), out);
  }
  void Num(std::string_view key, double& out) {
    if (const Json* v = Get(key)) NumValue(*v, Ptr(key), out);
  }
  void Bool(std::string_view key, bool& out) {
    const Json* v = Get(key);
    if (!v) return;
    if (v->is_boolean())
      out = v->get<bool>();
    else
      WrongType(key, "true or false", *v);
  }
  std::optional<Date> OptDate(std::string_view key) {
    const Json* v = Get(key);
    return v ? DateValue(*v, Ptr(key)) : std::nullopt;
  }
  void ReqDate(std::string_view key, Date& out) {
    const Json* v = Required(key);
    if (!v) return;
    if (auto d = DateValue(*v, Ptr(key))) out = *d;
  }
  template <typename E>
  void Enum(std::string_view key, E& out) {
    if (const Json* v = Get(key))
      if (auto e = EnumValue<E>(*v, Ptr(key))) out = *e;
  }
  template <typename Id>
  void IdField(std::string_view key, Id& out) {
    typename Id::rep_type raw = 0;
    const Json* v = Get(key);
    if (v && IntValue(*v, Ptr(key), raw)) {
      if (raw == Id::kInvalid)
        problems_.push_back({Ptr(key), "out_of_range", "id is too large"});
      else
        out = Id(raw);
    }
  }
  std::optional<model::GeoPoint> Point(std::string_view key) {
    const Json* v = Get(key);
    if (!v) return std::nullopt;
    ObjectReader r(*v, Ptr(key), problems_);
    if (!r.ok()) return std::nullopt;
    const std::size_t before = problems_.size();
    model::GeoPoint g;
    if (const Json* lat = r.Required("lat")) NumValue(*lat, r.Ptr("lat"), g.lat);
    if (const Json* lon = r.Required("lon")) NumValue(*lon, r.Ptr("lon"), g.lon);
    r.Finish();
    if (problems_.size() != before) return std::nullopt;
    return g;
  }
  // Calls each(element, pointer) for every element of an array member; `each` returns whether the
  // element was kept. Elements that fail to decode are dropped, so the object's vector index and
  // the JSON index may differ: Remap() translates pointers computed on the object back.
  template <typename F>
  void Array(std::string_view key, F each) {
    const Json* v = Get(key);
    if (!v) return;
    if (!v->is_array()) {
      WrongType(key, "an array", *v);
      return;
    }
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < v->size(); ++i)
      if (each((*v)[i], Ptr(key) + "/" + std::to_string(i))) kept.push_back(i);
    if (kept.size() != v->size()) kept_.emplace_back(Ptr(key), std::move(kept));
  }
  // Rewrites "/key/<object index>/..." into "/key/<JSON index>/..." for arrays that lost elements.
  void Remap(Problems& problems) const {
    for (auto& p : problems)
      for (const auto& [prefix, kept] : kept_) {
        if (p.field.size() <= prefix.size() + 1 || p.field.compare(0, prefix.size(), prefix) != 0 ||
            p.field[prefix.size()] != '/')
          continue;
        const std::size_t start = prefix.size() + 1;
        const std::size_t end = std::min(p.field.find('/', start), p.field.size());
        const std::size_t index = std::stoul(p.field.substr(start, end - start));
        if (index < kept.size()) p.field = prefix + "/" + std::to_string(kept[index]) + p.field.substr(end);
      }
  }
  model::CriterionSet Criteria(std::string_view key) {
    model::CriterionSet set;
    Array(key, [&](const Json& e, const std::string& ptr) {
      auto c = CriterionValue(e, ptr);
      if (c) set.insert(*c);
      return c.has_value();
    });
    return set;
  }
  model::LicenceSet Licences(std::string_view key) {
    model::LicenceSet set;
    Array(key, [&](const Json& e, const std::string& ptr) {
      auto l = EnumValue<model::Licence>(e, ptr);
      if (l) set.insert(*l);
      return l.has_value();
    });
    return set;
  }
  template <typename T>
  std::vector<T> Ints(std::string_view key) {
    std::vector<T> out;
    Array(key, [&](const Json& e, const std::string& ptr) {
      T value{};
      if (!IntValue(e, ptr, value)) return false;
      out.push_back(value);
      return true;
    });
    return out;
  }
  std::vector<model::RomeCode> Fiches(std::string_view key) {
    std::vector<model::RomeCode> out;
    Array(key, [&](const Json& e, const std::string& ptr) {
      auto f = RomeValue(e, ptr);
      if (f) out.push_back(*f);
      return f.has_value();
    });
    return out;
  }

  // Reports members nobody asked for (a misspelt optional field would otherwise be silently
  // ignored). `also` lists output-only members that are accepted and ignored on input.
  void Finish(std::initializer_list<std::string_view> also = {}) {
    if (!ok()) return;
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      const std::string& k = it.key();
      if (std::find(read_.begin(), read_.end(), k) != read_.end()) continue;
      if (std::find(also.begin(), also.end(), k) != also.end()) continue;
      problems_.push_back({Ptr(k), "unknown_field", "unknown field '" + k + "'"});
    }
  }

  // Value readers, usable on array elements too.
  template <typename T>
  bool IntValue(const Json& v, const std::string& ptr, T& out) {
    if (!v.is_number_integer()) {
      WrongTypeAt(ptr, "an integer", v);
      return false;
    }
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return OutOfRange(ptr, v);
      out = static_cast<T>(u);
      return true;
    }
    const auto s = v.get<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (s < 0) return OutOfRange(ptr, v);
      if (static_cast<std::uint64_t>(s) > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
        return OutOfRange(ptr, v);
    } else {
      if (s < std::numeric_limits<T>::min() || s > std::numeric_limits<T>::max()) return OutOfRange(ptr, v);
    }
    out = static_cast<T>(s);
    return true;
  }
  bool NumValue(const Json& v, const std::string& ptr, double& out) {
    if (!v.is_number()) {
      WrongTypeAt(ptr, "a number", v);
      return false;
    }
    out = v.get<double>();
    return true;
  }
  std::optional<Date> DateValue(const Json& v, const std::string& ptr) {
    if (!v.is_string()) {
      WrongTypeAt(ptr, "a date string (YYYY-MM-DD)", v);
      return std::nullopt;
    }
    auto d = Date::Parse(v.get_ref<const std::string&>());
    if (!d)
      problems_.push_back(
          {ptr, "invalid_format", "'" + v.get<std::string>() + "' is not a date (YYYY-MM-DD, a real calendar day)"});
    return d;
  }
  template <typename E>
  std::optional<E> EnumValue(const Json& v, const std::string& ptr) {
    if (!v.is_string()) {
      WrongTypeAt(ptr, "a code string", v);
      return std::nullopt;
    }
    const auto& s = v.get_ref<const std::string&>();
    auto e = model::ParseEnum<E>(s);
    if (!e) {
      std::string known;
      for (const auto& entry : model::Entries(E{})) known += (known.empty() ? "" : ", ") + std::string(entry.code);
      problems_.push_back({ptr, "unknown_code", "unknown code '" + s + "' (expected one of: " + known + ")"});
    }
    return e;
  }
  std::optional<model::Criterion> CriterionValue(const Json& v, const std::string& ptr) {
    if (!v.is_string()) {
      WrongTypeAt(ptr, "a criterion code", v);
      return std::nullopt;
    }
    const auto& s = v.get_ref<const std::string&>();
    auto c = model::ParseCriterion(s);
    if (!c) problems_.push_back({ptr, "unknown_code", "unknown eligibility criterion '" + s + "'"});
    return c;
  }
  std::optional<model::RomeCode> RomeValue(const Json& v, const std::string& ptr) {
    if (!v.is_string()) {
      WrongTypeAt(ptr, "a ROME code string", v);
      return std::nullopt;
    }
    auto f = model::RomeCode::Parse(v.get_ref<const std::string&>());
    if (!f)
      problems_.push_back(
          {ptr, "invalid_format", "'" + v.get<std::string>() + "' is not a ROME code (a letter and 4 digits)"});
    return f;
  }

  Problems& problems() { return problems_; }

 private:
  void WrongType(std::string_view key, std::string_view expected, const Json& v) { WrongTypeAt(Ptr(key), expected, v); }
  void WrongTypeAt(const std::string& ptr, std::string_view expected, const Json& v) {
    problems_.push_back({ptr, "wrong_type", "expected " + std::string(expected) + ", found " + TypeName(v)});
  }
  bool OutOfRange(const std::string& ptr, const Json& v) {
    problems_.push_back({ptr, "out_of_range", "value " + v.dump() + " is out of range"});
    return false;
  }

  const Json& j_;
  std::string base_;
  Problems& problems_;
  std::vector<std::string> read_;
  std::vector<std::pair<std::string, std::vector<std::size_t>>> kept_;
};

// True when pointer `a` is `b`, inside `b` or contains `b`: the same field, seen at two depths.
bool Overlaps(std::string_view a, std::string_view b) {
  auto within = [](std::string_view inner, std::string_view outer) {
    return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer && inner[outer.size()] == '/';
  };
  return a == b || within(a, b) || within(b, a);
}

// Appends the problems found on the decoded object (reference data, model::Validate), after
// mapping their array indices back to the input's, except for fields that already failed to
// decode (a missing or malformed field would otherwise be reported twice, once as decoded with
// its default).
void MergeSecondary(Problems& decoded, Problems secondary, const ObjectReader& reader) {
  reader.Remap(secondary);
  const std::size_t n = decoded.size();
  for (const auto& v : secondary) {
    bool seen = false;
    for (std::size_t i = 0; i < n && !seen; ++i) seen = Overlaps(decoded[i].field, v.field);
    if (!seen) decoded.push_back(v);
  }
}

// Reference checks shared by every type.
void CheckCommune(const model::Referential& ref, const std::string& insee, std::optional<model::GeoPoint>& location,
                  const char* field, Problems& problems) {
  if (insee.empty() || !model::IsInseeCode(insee)) return;  // model::Validate reports the format
  const model::Commune* c = ref.FindCommune(insee);
  if (!c) {
    problems.push_back({std::string("/") + field, "unknown_commune", "unknown commune INSEE code '" + insee + "'"});
    return;
  }
  if (!location) location = c->centre;
}
void CheckSkills(const model::Referential& ref, const std::vector<model::SkillCode>& skills, const char* field,
                 Problems& problems) {
  for (std::size_t i = 0; i < skills.size(); ++i)
    if (!ref.FindSkill(skills[i]))
      problems.push_back({std::string("/") + field + "/" + std::to_string(i), "unknown_skill",
                          "unknown ROME skill code_ogr '" + std::to_string(skills[i]) + "'"});
}

template <typename T>
std::optional<T> Conclude(T value, Problems& local, Problems& problems) {
  const bool ok = local.empty();
  problems.insert(problems.end(), std::make_move_iterator(local.begin()), std::make_move_iterator(local.end()));
  if (!ok) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::size_t> JsonNestingBeyond(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character, whatever it is, cannot end the string
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string JsonNestingMessage(std::string_view text, std::size_t at, std::size_t max_depth) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "nests arrays and objects deeper than " + std::to_string(max_depth) + " levels (line " + std::to_string(line) +
         ", column " + std::to_string(column) + ")";
}

// ---------------------------------------------------------------------------------------------
// Participant

Json ToJson(const model::Participant& p) {
  Json j;
  PutId(j, "id", p.id);
  j["external_ref"] = p.external_ref;
  j["prescriber_org"] = p.prescriber_org;
  j["prescriber_kind"] = model::Code(p.prescriber_kind);
  j["first_name"] = p.first_name;
  j["last_name"] = p.last_name;
  PutDate(j, "birth_date", p.birth_date);
  j["sex"] = model::Code(p.sex);
  if (p.email) j["email"] = *p.email;
  if (p.phone) j["phone"] = *p.phone;
  Json criteria = Json::array();
  for (const auto& c : p.criteria) {
    Json e{{"criterion", model::Code(c.criterion)}};
    PutDate(e, "proof_date", c.proof_date);
    if (!c.validated_by.empty()) e["validated_by"] = c.validated_by;
    PutDate(e, "valid_until", c.valid_until);
    criteria.push_back(std::move(e));
  }
  j["criteria"] = std::move(criteria);
  PutDate(j, "diagnosis_date", p.diagnosis_date);
  if (p.derogation) {
    Json d;
    PutDate(d, "granted_on", p.derogation->granted_on);
    d["granted_by"] = p.derogation->granted_by;
    d["reason"] = p.derogation->reason;
    j["derogation"] = std::move(d);
  }
  j["commune_insee"] = p.commune_insee;
  PutPoint(j, "location", p.location);
  j["mobility_radius_km"] = p.mobility_radius_km;
  j["mobility_mode"] = model::Code(p.mobility_mode);
  j["licences"] = LicencesJson(p.licences);
  j["wanted_appellations"] = p.wanted_appellations;
  j["wanted_fiches"] = FichesJson(p.wanted_fiches);
  j["skills"] = p.skills;
  PutDate(j, "available_from", p.available_from);
  j["weekly_hours_wanted"] = p.weekly_hours_wanted;
  j["status"] = model::Code(p.status);
  j["consent"] = p.consent;
  PutDate(j, "consent_date", p.consent_date);
  PutDate(j, "registration_date", p.registration_date);
  PutDate(j, "last_proposal_date", p.last_proposal_date);
  j["open_proposals"] = p.open_proposals;
  return j;
}

namespace {

// The criterion items of an array member (a participant's criteria, a snapshot's): {"criterion",
// "proof_date", "valid_until", "validated_by"} ("label", as exports write it, is ignored). Items
// with an unknown criterion are dropped after their problem is reported.
void ReadProofs(ObjectReader& r, std::string_view key, Problems& local, std::vector<model::CriterionProof>& out) {
  r.Array(key, [&](const Json& e, const std::string& ptr) {
    ObjectReader cr(e, ptr, local);
    if (!cr.ok()) return false;
    model::CriterionProof proof;
    bool known = false;
    if (const Json* c = cr.Required("criterion"))
      if (auto parsed = cr.CriterionValue(*c, cr.Ptr("criterion"))) {
        proof.criterion = *parsed;
        known = true;
      }
    proof.proof_date = cr.OptDate("proof_date");
    cr.Str("validated_by", proof.validated_by);
    proof.valid_until = cr.OptDate("valid_until");
    cr.Finish({"label"});
    if (known) out.push_back(std::move(proof));
    return known;
  });
}

// `org` null: every field from `j`; else the server's ParticipantFromJsonForOrg.
std::optional<model::Participant> DecodeParticipant(const Json& j, const model::OrgCode* org,
                                                    const model::Referential* ref, Date today, Problems& problems) {
  Problems local;
  model::Participant p;
  ObjectReader r(j, "", local);
  if (!r.ok()) return Conclude(std::move(p), local, problems);
  if (org) {
    (void)r.Get("id");  // read (not an unknown field) and ignored
  } else {
    r.IdField("id", p.id);
  }
  r.Str("external_ref", p.external_ref);
  if (org) {
    if (const Json* given = r.Get("prescriber_org");
        given && !(given->is_string() && given->get_ref<const std::string&>() == *org))
      r.Add("prescriber_org", "forbidden_value", "must be " + *org + " or absent");
    p.prescriber_org = *org;
  } else {
    r.Str("prescriber_org", p.prescriber_org);
  }
  r.Enum("prescriber_kind", p.prescriber_kind);
  r.Str("first_name", p.first_name);
  r.Str("last_name", p.last_name);
  r.ReqDate("birth_date", p.birth_date);
  r.Enum("sex", p.sex);  // optional: absent is "non_renseigne"
  p.email = r.OptStr("email");
  p.phone = r.OptStr("phone");
  ReadProofs(r, "criteria", local, p.criteria);
  p.diagnosis_date = r.OptDate("diagnosis_date");
  if (const Json* d = r.Get("derogation")) {
    ObjectReader dr(*d, r.Ptr("derogation"), local);
    if (dr.ok()) {
      model::Derogation der;
      dr.ReqDate("granted_on", der.granted_on);
      dr.Str("granted_by", der.granted_by);
      dr.Str("reason", der.reason);
      dr.Finish();
      p.derogation = std::move(der);
    }
  }
  r.Str("commune_insee", p.commune_insee);
  p.location = r.Point("location");
  r.Num("mobility_radius_km", p.mobility_radius_km);
  r.Enum("mobility_mode", p.mobility_mode);
  p.licences = r.Licences("licences");
  p.wanted_appellations = r.Ints<model::AppellationCode>("wanted_appellations");
  p.wanted_fiches = r.Fiches("wanted_fiches");
  p.skills = r.Ints<model::SkillCode>("skills");
  r.ReqDate("available_from", p.available_from);
  r.Num("weekly_hours_wanted", p.weekly_hours_wanted);
  r.Enum("status", p.status);
  r.Bool("consent", p.consent);
  p.consent_date = r.OptDate("consent_date");
  r.ReqDate("registration_date", p.registration_date);
  p.last_proposal_date = r.OptDate("last_proposal_date");
  r.Int("open_proposals", p.open_proposals);
  r.Finish();

  Problems secondary = model::Validate(p, today);
  if (ref) {
    CheckCommune(*ref, p.commune_insee, p.location, "commune_insee", secondary);
    for (std::size_t i = 0; i < p.wanted_appellations.size(); ++i)
      if (!ref->FindAppellation(p.wanted_appellations[i]))
        secondary.push_back({"/wanted_appellations/" + std::to_string(i), "unknown_appellation",
                             "unknown ROME appellation '" + std::to_string(p.wanted_appellations[i]) + "'"});
    for (std::size_t i = 0; i < p.wanted_fiches.size(); ++i)
      if (!ref->FindFiche(p.wanted_fiches[i]))
        secondary.push_back({"/wanted_fiches/" + std::to_string(i), "unknown_fiche",
                             "unknown ROME fiche '" + p.wanted_fiches[i].str() + "'"});
    CheckSkills(*ref, p.skills, "skills", secondary);
  }
  MergeSecondary(local, std::move(secondary), r);
  return Conclude(std::move(p), local, problems);
}

}  // namespace

std::optional<model::Participant> ParticipantFromJson(const Json& j, const model::Referential* ref, Date today,
                                                      Problems& problems) {
  return DecodeParticipant(j, nullptr, ref, today, problems);
}

std::optional<model::Participant> ParticipantFromJsonForOrg(const Json& j, const model::OrgCode& org,
                                                            const model::Referential* ref, Date today,
                                                            Problems& problems) {
  return DecodeParticipant(j, &org, ref, today, problems);
}

// ---------------------------------------------------------------------------------------------
// Contract

Json ToJson(const model::Contract& c) {
  Json j;
  PutId(j, "id", c.id);
  j["reference"] = c.reference;
  j["title"] = c.title;
  j["buyer"] = c.buyer;
  j["facilitator_org"] = c.facilitator_org;
  j["holder"] = c.holder;
  j["holder_siret"] = c.holder_siret;
  j["cpv_code"] = c.cpv_code;
  j["amount_excl_vat_eur"] = c.amount_excl_vat_eur;
  PutDate(j, "start", c.start);
  PutDate(j, "end", c.end);
  j["worksite_insee"] = c.worksite_insee;
  PutPoint(j, "worksite_location", c.worksite_location);
  j["clause_type"] = model::Code(c.clause_type);
  j["legal_basis"] = model::LegalBasis(c.clause_type);  // output only, derived from clause_type
  j["accepted_publics"] = CriteriaJson(c.accepted_publics);
  j["accepts_derogation"] = c.accepts_derogation;
  j["accepts_iae_eligibility"] = c.accepts_iae_eligibility;
  j["priority_publics"] = CriteriaJson(c.priority_publics);
  j["qpv_only"] = c.qpv_only;
  j["iae_level2_required"] = c.iae_level2_required;
  if (c.sizing)
    j["sizing"] = Json{{"labour_share", c.sizing->labour_share},
                       {"insertion_rate", c.sizing->insertion_rate},
                       {"hourly_cost_eur", c.sizing->hourly_cost_eur}};
  j["insertion_hours"] = c.insertion_hours;
  Json quotas = Json::array();
  for (const auto& q : c.quotas)
    quotas.push_back(Json{
        {"public", model::Code(q.public_criterion)}, {"min_positions", q.min_positions}, {"min_share", q.min_share}});
  j["quotas"] = std::move(quotas);
  j["status"] = model::Code(c.status);
  return j;
}

std::optional<model::Contract> ContractFromJson(const Json& j, const model::Referential* ref, Problems& problems) {
  Problems local;
  model::Contract c;
  ObjectReader r(j, "", local);
  if (!r.ok()) return Conclude(std::move(c), local, problems);
  r.IdField("id", c.id);
  r.Str("reference", c.reference);
  r.Str("title", c.title);
  r.Str("buyer", c.buyer);
  r.Str("facilitator_org", c.facilitator_org);
  r.Str("holder", c.holder);
  r.Str("holder_siret", c.holder_siret);
  r.Str("cpv_code", c.cpv_code);
  r.Num("amount_excl_vat_eur", c.amount_excl_vat_eur);
  r.ReqDate("start", c.start);
  r.ReqDate("end", c.end);
  r.Str("worksite_insee", c.worksite_insee);
  c.worksite_location = r.Point("worksite_location");
  r.Enum("clause_type", c.clause_type);
  c.accepted_publics = r.Criteria("accepted_publics");
  r.Bool("accepts_derogation", c.accepts_derogation);
  r.Bool("accepts_iae_eligibility", c.accepts_iae_eligibility);
  c.priority_publics = r.Criteria("priority_publics");
  r.Bool("qpv_only", c.qpv_only);
  r.Int("iae_level2_required", c.iae_level2_required);
  if (const Json* s = r.Get("sizing")) {
    ObjectReader sr(*s, r.Ptr("sizing"), local);
    if (sr.ok()) {
      model::ClauseSizing sizing;
      if (const Json* v = sr.Required("labour_share")) sr.NumValue(*v, sr.Ptr("labour_share"), sizing.labour_share);
      if (const Json* v = sr.Required("insertion_rate"))
        sr.NumValue(*v, sr.Ptr("insertion_rate"), sizing.insertion_rate);
      sr.Num("hourly_cost_eur", sizing.hourly_cost_eur);
      sr.Finish();
      c.sizing = sizing;
    }
  }
  r.Num("insertion_hours", c.insertion_hours);
  r.Array("quotas", [&](const Json& e, const std::string& ptr) {
    ObjectReader qr(e, ptr, local);
    if (!qr.ok()) return false;
    model::Quota q;
    if (const Json* v = qr.Required("public"))
      if (auto crit = qr.CriterionValue(*v, qr.Ptr("public"))) q.public_criterion = *crit;
    qr.Int("min_positions", q.min_positions);
    qr.Num("min_share", q.min_share);
    qr.Finish();
    c.quotas.push_back(q);
    return true;
  });
  r.Enum("status", c.status);
  r.Finish({"legal_basis"});

  Problems secondary = model::Validate(c);
  if (ref) CheckCommune(*ref, c.worksite_insee, c.worksite_location, "worksite_insee", secondary);
  MergeSecondary(local, std::move(secondary), r);
  return Conclude(std::move(c), local, problems);
}

// ---------------------------------------------------------------------------------------------
// Opening

Json ToJson(const model::Opening& o) {
  Json j;
  PutId(j, "id", o.id);
  PutId(j, "contract", o.contract);
  j["appellation"] = o.appellation;
  if (o.fiche.valid()) j["fiche"] = o.fiche.str();
  j["positions"] = o.positions;
  j["weekly_hours"] = o.weekly_hours;
  PutDate(j, "start", o.start);
  PutDate(j, "end", o.end);
  j["worksite_insee"] = o.worksite_insee;
  PutPoint(j, "worksite_location", o.worksite_location);
  j["contract_type"] = model::Code(o.contract_type);
  j["required_licences"] = LicencesJson(o.required_licences);
  j["required_skills"] = o.required_skills;
  j["max_distance_km"] = o.max_distance_km;
  j["status"] = model::Code(o.status);
  return j;
}

std::optional<model::Opening> OpeningFromJson(const Json& j, const model::Referential* ref,
                                              const model::Contract* contract, Problems& problems) {
  Problems local;
  model::Opening o;
  ObjectReader r(j, "", local);
  if (!r.ok()) return Conclude(std::move(o), local, problems);
  r.IdField("id", o.id);
  r.IdField("contract", o.contract);
  r.Int("appellation", o.appellation);
  if (const Json* f = r.Get("fiche"))
    if (auto code = r.RomeValue(*f, r.Ptr("fiche"))) o.fiche = *code;
  r.Int("positions", o.positions);
  r.Num("weekly_hours", o.weekly_hours);
  r.ReqDate("start", o.start);
  r.ReqDate("end", o.end);
  r.Str("worksite_insee", o.worksite_insee);
  o.worksite_location = r.Point("worksite_location");
  r.Enum("contract_type", o.contract_type);
  o.required_licences = r.Licences("required_licences");
  o.required_skills = r.Ints<model::SkillCode>("required_skills");
  r.Num("max_distance_km", o.max_distance_km);
  r.Enum("status", o.status);
  r.Finish();

  Problems secondary = model::Validate(o, contract);
  if (ref) {
    if (o.appellation != 0) {
      if (const model::Appellation* a = ref->FindAppellation(o.appellation))
        o.fiche = a->fiche;  // derived: the appellation's fiche wins over what the input says
      else
        secondary.push_back({"/appellation", "unknown_appellation",
                             "unknown ROME appellation '" + std::to_string(o.appellation) + "'"});
    }
    CheckCommune(*ref, o.worksite_insee, o.worksite_location, "worksite_insee", secondary);
    CheckSkills(*ref, o.required_skills, "required_skills", secondary);
  }
  MergeSecondary(local, std::move(secondary), r);
  return Conclude(std::move(o), local, problems);
}

std::optional<model::Opening> OpeningFromJsonWithLookup(const Json& j, const model::Referential* ref,
                                                        const ContractLookup& find, Problems& problems) {
  const model::Contract* contract = nullptr;
  Problems local;
  if (j.is_object())
    if (auto it = j.find("contract"); it != j.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0 &&
                                      it->get<std::uint64_t>() < model::ContractId::kInvalid) {
      contract = find(model::ContractId(it->get<model::ContractId::rep_type>()));
      if (!contract) local.push_back({"/contract", "unknown_contract", "unknown contract id '" + it->dump() + "'"});
    }
  auto opening = OpeningFromJson(j, ref, contract, local);
  if (!local.empty()) opening.reset();  // an unknown contract fails the opening too
  problems.insert(problems.end(), local.begin(), local.end());
  return opening;
}

// ---------------------------------------------------------------------------------------------
// Placement

Json ToJson(const model::EligibilitySnapshot& e) {
  Json j;
  PutDate(j, "judged_on", e.judged_on);
  PutDate(j, "hire_date", e.hire_date);
  j["basis"] = e.basis;
  j["eligible_by"] = CriteriaJson(e.eligible_by);
  Json criteria = Json::array();
  for (const auto& c : e.criteria) {
    Json item{{"criterion", model::Code(c.criterion)}};
    PutDate(item, "proof_date", c.proof_date);
    PutDate(item, "valid_until", c.valid_until);
    if (!c.validated_by.empty()) item["validated_by"] = c.validated_by;
    criteria.push_back(std::move(item));
  }
  j["criteria"] = std::move(criteria);
  j["provisional"] = CriteriaJson(e.provisional);
  PutDate(j, "diagnosis_date", e.diagnosis_date);
  if (!e.diagnosed_by.empty()) j["diagnosed_by"] = e.diagnosed_by;
  j["by_diagnosis"] = CriteriaJson(e.by_diagnosis);
  if (e.derogation) {
    Json d;
    PutDate(d, "granted_on", e.derogation->granted_on);
    d["granted_by"] = e.derogation->granted_by;
    j["derogation"] = std::move(d);
  }
  Json conditions = Json::array();
  for (const auto& c : e.conditions)
    conditions.push_back(
        Json{{"code", "proof_to_renew"}, {"criterion", model::Code(c.criterion)}, {"renew_by", c.renew_by.ToString()}});
  j["conditions"] = std::move(conditions);
  return j;
}

namespace {

std::optional<model::EligibilitySnapshot> ReadSnapshot(const Json& v, const std::string& base, Problems& local) {
  ObjectReader er(v, base, local);
  if (!er.ok()) return std::nullopt;
  model::EligibilitySnapshot e;
  er.ReqDate("judged_on", e.judged_on);
  er.ReqDate("hire_date", e.hire_date);
  er.Str("basis", e.basis);
  if (e.basis != "clause_public" && e.basis != "iae_level1" && e.basis != "iae_level2" && e.basis != "derogation")
    er.Add("basis", "invalid_value", "clause_public, iae_level1, iae_level2 or derogation");
  e.eligible_by = er.Criteria("eligible_by");
  ReadProofs(er, "criteria", local, e.criteria);
  e.provisional = er.Criteria("provisional");
  e.diagnosis_date = er.OptDate("diagnosis_date");
  er.Str("diagnosed_by", e.diagnosed_by);
  e.by_diagnosis = er.Criteria("by_diagnosis");
  if (const Json* d = er.Get("derogation")) {
    ObjectReader dr(*d, er.Ptr("derogation"), local);
    if (dr.ok()) {
      model::Derogation der;
      dr.ReqDate("granted_on", der.granted_on);
      dr.Str("granted_by", der.granted_by);
      dr.Finish();
      e.derogation = std::move(der);
    }
  }
  er.Array("conditions", [&](const Json& item, const std::string& ptr) {
    ObjectReader cr(item, ptr, local);
    if (!cr.ok()) return false;
    model::RenewalCondition c;
    bool known = false;
    if (const Json* code = cr.Required("code"); code && !(code->is_string() && *code == "proof_to_renew"))
      cr.Add("code", "invalid_value", "proof_to_renew");
    if (const Json* crit = cr.Required("criterion"))
      if (auto parsed = cr.CriterionValue(*crit, cr.Ptr("criterion"))) {
        c.criterion = *parsed;
        known = true;
      }
    cr.ReqDate("renew_by", c.renew_by);
    cr.Finish({"text"});
    if (known) e.conditions.push_back(c);
    return known;
  });
  er.Finish();
  return e;
}

}  // namespace

Json ToJson(const model::Placement& p) {
  Json j;
  PutId(j, "id", p.id);
  PutId(j, "participant", p.participant);
  PutId(j, "opening", p.opening);
  PutId(j, "contract", p.contract);
  j["status"] = model::Code(p.status);
  j["contract_type"] = model::Code(p.contract_type);
  j["route"] = model::Code(p.route);
  j["employer"] = p.employer;
  j["employer_siret"] = p.employer_siret;
  PutDate(j, "start", p.start);
  PutDate(j, "end", p.end);
  j["weekly_hours"] = p.weekly_hours;
  Json hours = Json::array();
  for (const auto& h : p.hours) {
    Json report{{"year", h.year}, {"month", h.month}, {"hours", h.hours}, {"reported_on", h.reported_on.ToString()}};
    if (h.amount)
      report["amount"] = Json{{"amount_eur", h.amount->amount_eur},
                              {"labour_share", h.amount->labour_share},
                              {"hourly_cost_eur", h.amount->hourly_cost_eur}};
    hours.push_back(std::move(report));
  }
  j["hours"] = std::move(hours);
  Json outcomes = Json::array();
  for (const auto& o : p.outcomes)
    outcomes.push_back(Json{{"months_after_entry", o.months_after_entry},
                            {"outcome", model::Code(o.outcome)},
                            {"recorded_on", o.recorded_on.ToString()}});
  j["outcomes"] = std::move(outcomes);
  if (p.eligibility) j["eligibility"] = ToJson(*p.eligibility);
  return j;
}

std::optional<model::Placement> PlacementFromJson(const Json& j, Problems& problems) {
  Problems local;
  model::Placement p;
  ObjectReader r(j, "", local);
  if (!r.ok()) return Conclude(std::move(p), local, problems);
  r.IdField("id", p.id);
  r.IdField("participant", p.participant);
  r.IdField("opening", p.opening);
  r.IdField("contract", p.contract);
  r.Enum("status", p.status);
  r.Enum("contract_type", p.contract_type);
  r.Enum("route", p.route);
  r.Str("employer", p.employer);
  r.Str("employer_siret", p.employer_siret);
  r.ReqDate("start", p.start);
  r.ReqDate("end", p.end);
  r.Num("weekly_hours", p.weekly_hours);
  r.Array("hours", [&](const Json& e, const std::string& ptr) {
    ObjectReader hr(e, ptr, local);
    if (!hr.ok()) return false;
    model::MonthlyHours h;
    if (const Json* v = hr.Required("year")) hr.IntValue(*v, hr.Ptr("year"), h.year);
    if (const Json* v = hr.Required("month")) hr.IntValue(*v, hr.Ptr("month"), h.month);
    if (const Json* v = hr.Required("hours")) hr.NumValue(*v, hr.Ptr("hours"), h.hours);
    hr.ReqDate("reported_on", h.reported_on);
    if (const Json* v = hr.Get("amount")) {  // hours converted from a subcontracting amount
      ObjectReader ar(*v, hr.Ptr("amount"), local);
      if (ar.ok()) {
        model::SubcontractAmount a;
        if (const Json* x = ar.Required("amount_eur")) ar.NumValue(*x, ar.Ptr("amount_eur"), a.amount_eur);
        if (const Json* x = ar.Required("labour_share")) ar.NumValue(*x, ar.Ptr("labour_share"), a.labour_share);
        if (const Json* x = ar.Required("hourly_cost_eur"))
          ar.NumValue(*x, ar.Ptr("hourly_cost_eur"), a.hourly_cost_eur);
        ar.Finish();
        h.amount = a;
      }
    }
    hr.Finish();
    p.hours.push_back(h);
    return true;
  });
  r.Array("outcomes", [&](const Json& e, const std::string& ptr) {
    ObjectReader orr(e, ptr, local);
    if (!orr.ok()) return false;
    model::OutcomeRecord o;
    if (const Json* v = orr.Required("months_after_entry"))
      orr.IntValue(*v, orr.Ptr("months_after_entry"), o.months_after_entry);
    if (const Json* v = orr.Required("outcome"))
      if (auto out = orr.EnumValue<model::Outcome>(*v, orr.Ptr("outcome"))) o.outcome = *out;
    orr.ReqDate("recorded_on", o.recorded_on);
    orr.Finish();
    p.outcomes.push_back(o);
    return true;
  });
  if (const Json* v = r.Get("eligibility")) p.eligibility = ReadSnapshot(*v, r.Ptr("eligibility"), local);
  r.Finish();
  MergeSecondary(local, model::Validate(p), r);
  return Conclude(std::move(p), local, problems);
}

}  // namespace clausematch::data
