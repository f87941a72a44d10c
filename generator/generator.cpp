#include "generator/generator.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "generator/prng.hpp"
#include "lifecycle/plan.hpp"
#include "lifecycle/sizing.hpp"

namespace clausematch::generator {
namespace {

using model::Criterion;
using model::Date;
using model::Licence;
using model::LicenceSet;
using model::ValidityKind;

constexpr LicenceSet Needs(Licence l) {
  LicenceSet s;
  s.insert(l);
  return s;
}

// ---------------------------------------------------------------------------------------------
// The trade table (docs/generator.md). Fiches are ROME 4.0 codes of data/reference/rome; weights
// are relative within a family; the first fiche is the family's principal trade. The labour share
// of a family's contracts is not a figure of its own here: lifecycle::ResolveLabourShare gives it
// from the default table (lifecycle/sizing.cpp), by the contract's CPV code, else the principal trade.
// ---------------------------------------------------------------------------------------------
constexpr TradeFiche kGrosOeuvre[] = {
    {"F1703", 4, {}},    // Maçon / Maçonne
    {"F1704", 4, {}},    // Manœuvre bâtiment
    {"F1701", 1.5, {}},  // Coffreur / Coffreuse
    {"F1709", 1, {}},    // Démolisseur / Démolisseuse
};
constexpr TradeFiche kSecondOeuvre[] = {
    {"F1606", 4, {}},    // Peintre en bâtiment
    {"F1604", 2.5, {}},  // Plaquiste
    {"F1608", 1.5, {}},  // Carreleur / Carreleuse
    {"F1601", 1, {}},    // Plâtrier / Plâtrière
    {"F1602", 1.5, {}},  // Electricien / Electricienne du bâtiment
    {"F1603", 1.5, {}},  // Plombier / Plombière sanitaire
    {"F1607", 1, {}},    // Menuisier / Menuisière aluminium
};
constexpr TradeFiche kTravauxPublics[] = {
    {"F1702", 4, {}},                      // Ouvrier / Ouvrière en voiries
    {"F1705", 2, {}},                      // Poseur / Poseuse de canalisations
    {"F1302", 1, Needs(Licence::kCaces)},  // Conducteur / Conductrice d'engins de chantier
};
constexpr TradeFiche kNettoyage[] = {
    {"K2204", 5, {}},  // Agent / Agente de nettoyage industriel
    {"K2205", 4, {}},  // Agent / Agente de propreté de locaux
    {"K2202", 1, {}},  // Laveur / Laveuse de vitres
};
constexpr TradeFiche kEspacesVerts[] = {
    {"A1203", 5, {}},  // Agent / Agente d'entretien des espaces verts
    {"A1208", 2, {}},  // Jardinier / Jardinière paysagiste
    {"A1202", 1, {}},  // Agent / Agente d'entretien des espaces naturels
};
constexpr TradeFiche kPropreteUrbaine[] = {
    {"K2307", 3, {}},  // Agent / Agente de propreté urbaine
    {"K2303", 3, {}},  // Ripeur / Ripeuse
    {"K2304", 2, {}},  // Agent / Agente de tri des déchets
};
constexpr TradeFiche kRestauration[] = {
    {"G1606", 3, {}},  // Cuisinier / Cuisinière de collectivité
    {"G1607", 3, {}},  // Employé / Employée de restauration collective
    {"G1605", 2, {}},  // Plongeur officier / Plongeuse officière de cuisine
    {"G1602", 1, {}},  // Commis / Commise de cuisine
};
constexpr TradeFiche kLogistique[] = {
    {"N1105", 3, {}},                        // Manutentionnaire
    {"N1103", 3, {}},                        // Préparateur / Préparatrice de commandes
    {"N1110", 2, {}},                        // Magasinier / Magasinière
    {"N1101", 1.5, Needs(Licence::kCaces)},  // Cariste
    {"N4105", 1, Needs(Licence::kB)},        // Conducteur-livreur / Conductrice-livreuse
};
constexpr TradeFiche kServicesPersonne[] = {
    {"K1302", 4, {}},  // Assistant / Assistante de vie dépendance
    {"K1304", 3, {}},  // Employé familial / Employée familiale
    {"K1303", 1, {}},  // Garde d'enfant
};

constexpr TradeFamily kFamilies[] = {
    {"btp_gros_oeuvre", "Bâtiment gros œuvre", "45210000-2", "Construction et réhabilitation de logements", 0.21, 0.17,
     1'800'000, 0.8, kGrosOeuvre},
    {"btp_second_oeuvre", "Bâtiment second œuvre", "45400000-1", "Travaux de parachèvement", 0.16, 0.10, 900'000, 0.7,
     kSecondOeuvre},
    {"travaux_publics", "Travaux publics et voirie", "45233140-2", "Travaux de voirie et réseaux", 0.12, 0.06,
     1'500'000, 0.8, kTravauxPublics},
    {"nettoyage", "Nettoyage de locaux", "90910000-9", "Nettoyage des bâtiments publics", 0.16, 0.18, 350'000, 0.7,
     kNettoyage},
    {"espaces_verts", "Espaces verts", "77310000-6", "Entretien des espaces verts", 0.11, 0.10, 250'000, 0.6,
     kEspacesVerts},
    {"proprete_urbaine", "Propreté urbaine et déchets", "90511000-2", "Collecte des déchets et propreté urbaine", 0.07,
     0.06, 1'200'000, 0.7, kPropreteUrbaine},
    {"restauration", "Restauration collective", "55524000-9", "Restauration scolaire", 0.10, 0.10, 600'000, 0.7,
     kRestauration},
    {"logistique", "Logistique et manutention", "63100000-0", "Manutention et entreposage", 0.07, 0.13, 500'000, 0.7,
     kLogistique},
    {"services_personne", "Services à la personne", "85312000-9", "Aide et accompagnement à domicile", 0.0, 0.10,
     400'000, 0.6, kServicesPersonne},
};

// ---------------------------------------------------------------------------------------------
// Fake names: common French first and last names (no real person is described by a pair drawn
// at random). `ascii` spells the name for e-mail addresses.
// ---------------------------------------------------------------------------------------------
struct Name {
  std::string_view display;
  std::string_view ascii;
};
constexpr Name kFirstNames[] = {
    {"Adam", "adam"},
    {"Aïcha", "aicha"},
    {"Alice", "alice"},
    {"Amandine", "amandine"},
    {"Anthony", "anthony"},
    {"Audrey", "audrey"},
    {"Aurélie", "aurelie"},
    {"Bastien", "bastien"},
    {"Benoît", "benoit"},
    {"Camille", "camille"},
    {"Célia", "celia"},
    {"Chloé", "chloe"},
    {"Christophe", "christophe"},
    {"Clément", "clement"},
    {"David", "david"},
    {"Dylan", "dylan"},
    {"Elodie", "elodie"},
    {"Emma", "emma"},
    {"Enzo", "enzo"},
    {"Fatou", "fatou"},
    {"Florian", "florian"},
    {"Gaëlle", "gaelle"},
    {"Hélène", "helene"},
    {"Hugo", "hugo"},
    {"Inès", "ines"},
    {"Jade", "jade"},
    {"Jérôme", "jerome"},
    {"Jessica", "jessica"},
    {"Jordan", "jordan"},
    {"Julie", "julie"},
    {"Karim", "karim"},
    {"Kevin", "kevin"},
    {"Laura", "laura"},
    {"Léa", "lea"},
    {"Lucas", "lucas"},
    {"Manon", "manon"},
    {"Marie", "marie"},
    {"Mathieu", "mathieu"},
    {"Mehdi", "mehdi"},
    {"Mélanie", "melanie"},
    {"Nadia", "nadia"},
    {"Nathalie", "nathalie"},
    {"Nicolas", "nicolas"},
    {"Noah", "noah"},
    {"Océane", "oceane"},
    {"Olivier", "olivier"},
    {"Pascal", "pascal"},
    {"Patricia", "patricia"},
    {"Quentin", "quentin"},
    {"Rachid", "rachid"},
    {"Romain", "romain"},
    {"Samia", "samia"},
    {"Sandrine", "sandrine"},
    {"Sébastien", "sebastien"},
    {"Sofiane", "sofiane"},
    {"Sophie", "sophie"},
    {"Stéphane", "stephane"},
    {"Sylvie", "sylvie"},
    {"Théo", "theo"},
    {"Thomas", "thomas"},
    {"Valérie", "valerie"},
    {"Yanis", "yanis"},
    {"Yasmine", "yasmine"},
    {"Zoé", "zoe"},
};
constexpr Name kLastNames[] = {
    {"Martin", "martin"},       {"Bernard", "bernard"},   {"Dubois", "dubois"},   {"Thomas", "thomas"},
    {"Robert", "robert"},       {"Richard", "richard"},   {"Petit", "petit"},     {"Durand", "durand"},
    {"Leroy", "leroy"},         {"Moreau", "moreau"},     {"Simon", "simon"},     {"Laurent", "laurent"},
    {"Lefebvre", "lefebvre"},   {"Michel", "michel"},     {"Garcia", "garcia"},   {"David", "david"},
    {"Bertrand", "bertrand"},   {"Roux", "roux"},         {"Vincent", "vincent"}, {"Fournier", "fournier"},
    {"Morel", "morel"},         {"Girard", "girard"},     {"André", "andre"},     {"Lefèvre", "lefevre"},
    {"Mercier", "mercier"},     {"Dupont", "dupont"},     {"Lambert", "lambert"}, {"Bonnet", "bonnet"},
    {"François", "francois"},   {"Martinez", "martinez"}, {"Legrand", "legrand"}, {"Garnier", "garnier"},
    {"Faure", "faure"},         {"Rousseau", "rousseau"}, {"Blanc", "blanc"},     {"Guérin", "guerin"},
    {"Muller", "muller"},       {"Henry", "henry"},       {"Roussel", "roussel"}, {"Nicolas", "nicolas"},
    {"Perrin", "perrin"},       {"Morin", "morin"},       {"Mathieu", "mathieu"}, {"Clément", "clement"},
    {"Gauthier", "gauthier"},   {"Dumont", "dumont"},     {"Lopez", "lopez"},     {"Fontaine", "fontaine"},
    {"Chevalier", "chevalier"}, {"Robin", "robin"},       {"Masson", "masson"},   {"Sanchez", "sanchez"},
    {"Boyer", "boyer"},         {"Denis", "denis"},       {"Lemaire", "lemaire"}, {"Duval", "duval"},
    {"Benali", "benali"},       {"Haddad", "haddad"},     {"Diallo", "diallo"},   {"Traoré", "traore"},
    {"Nguyen", "nguyen"},       {"Da Silva", "dasilva"},  {"Kaya", "kaya"},       {"Lemoine", "lemoine"},
    {"Lecomte", "lecomte"},     {"Delattre", "delattre"}, {"Dufour", "dufour"},   {"Caron", "caron"},
    {"Vasseur", "vasseur"},     {"Lefranc", "lefranc"},   {"Dupuis", "dupuis"},   {"Carpentier", "carpentier"},
};

constexpr std::string_view kDerogationReasons[] = {
    "Isolement social et absence d'expérience professionnelle récente",
    "Difficultés de santé sans reconnaissance administrative",
    "Endettement et situation familiale fragile",
    "Longue période d'inactivité sans inscription à France Travail",
};

// Stream numbers of Prng::Stream: one per kind of record.
constexpr std::uint64_t kParticipantStream = 1;
constexpr std::uint64_t kContractStream = 2;
// A participant's document durations (RQTH decision, residence title): their own stream, so that
// drawing them leaves every other draw of the participant where it was.
constexpr std::uint64_t kDocumentStream = 3;
// A participant's sex, drawn after their trades (docs/generator.md "Sex"): its own stream too, so
// the other draws of the participant stay where they were.
constexpr std::uint64_t kSexStream = 4;

// Share of women among people whose first wish is in a trade family: orders of magnitude of the
// share of women in the occupations of each family (DARES, "Les portraits statistiques des
// métiers", familles professionnelles), rounded, shifted towards men where clause publics are
// (building, public works); docs/generator.md "Sex".
double WomenAmong(const TradeFamily* family) {
  if (family == nullptr) return 0.45;
  static constexpr std::pair<std::string_view, double> kShares[] = {
      {"btp_gros_oeuvre", 0.03}, {"btp_second_oeuvre", 0.08}, {"travaux_publics", 0.03},
      {"nettoyage", 0.70},       {"espaces_verts", 0.12},     {"proprete_urbaine", 0.15},
      {"restauration", 0.55},    {"logistique", 0.20},        {"services_personne", 0.90}};
  for (const auto& [code, share] : kShares)
    if (code == family->code) return share;
  return 0.45;
}
// Share of participants whose sex is not recorded (the prescriber did not fill it in).
constexpr double kSexNotRecorded = 0.03;

// How long a document with an end date (ValidityKind::kUntilDate) runs, in months, as decided
// (docs/generator.md "Proofs"). RQTH: the CDAPH grants 1 to 10 years, 5 most often (lifelong
// decisions, possible since 2019, are left out). Residence titles: a refugee's 10-year resident
// card, a subsidiary protection's 4-year multi-year card, a temporary protection's 6-month
// authorisation.
constexpr std::pair<int, double> kRqthMonths[] = {{12, 0.10}, {36, 0.25}, {60, 0.45}, {120, 0.20}};
constexpr std::pair<int, double> kTitleMonths[] = {{120, 0.50}, {48, 0.25}, {6, 0.25}};

constexpr std::size_t kBlock = 8192;  // participants per parallel block (progress granularity)

template <typename T, std::size_t N>
const T& PickUniform(Prng& rng, const T (&items)[N]) {
  return items[rng.Below(static_cast<std::uint32_t>(N))];
}

// Rounds to a multiple of 1/per_unit (per_unit = 1e5: five decimals). Dividing the integer by an
// exact power of ten gives the double nearest the decimal, which prints back as that decimal.
double Round(double x, double per_unit) { return std::round(x * per_unit) / per_unit; }

Date DayIn(Prng& rng, Date lo, Date hi) {  // uniform in [lo, hi]
  if (hi < lo) return lo;
  return lo.AddDays(static_cast<int>(rng.Below(static_cast<std::uint32_t>(hi - lo + 1))));
}

// A weighted choice among a few (value, weight) pairs.
template <typename T, std::size_t N>
T PickWeighted(Prng& rng, const std::pair<T, double> (&items)[N]) {
  std::array<double, N> w{};
  for (std::size_t i = 0; i < N; ++i) w[i] = items[i].second;
  return items[rng.Pick(w)].first;
}

// ---------------------------------------------------------------------------------------------
// Precomputed tables shared by every record (read-only during generation).
// ---------------------------------------------------------------------------------------------
struct FichePool {
  model::RomeCode code;
  double weight = 0;
  LicenceSet required;
  std::vector<model::AppellationCode> appellations;
  std::vector<double> appellation_weights;
  std::vector<model::SkillCode> core_skills;
  std::vector<model::SkillCode> other_skills;
  std::vector<model::RomeCode> mobility;  // linked fiches, closest first
};

struct FamilyPool {
  const TradeFamily* family = nullptr;
  double labour_share = 0;  // the default table's share for the family's principal (first) fiche
  std::vector<FichePool> fiches;
  std::vector<double> fiche_weights;
};

struct Territory {
  std::vector<const model::Commune*> communes;
  std::vector<double> cumulative;  // cumulative population
  std::vector<double> qpv_probability;
};

class Tables {
 public:
  Tables(const GeneratorConfig& config, const model::Referential& ref) : config_(config), ref_(ref) {
    BuildTerritory();
    BuildFamilies();
  }

  std::size_t SampleCommune(Prng& rng) const {
    const double x = rng.Uniform() * territory_.cumulative.back();
    auto it = std::upper_bound(territory_.cumulative.begin(), territory_.cumulative.end(), x);
    return std::min<std::size_t>(static_cast<std::size_t>(it - territory_.cumulative.begin()),
                                 territory_.communes.size() - 1);
  }
  const model::Commune& commune(std::size_t i) const { return *territory_.communes[i]; }
  double qpv_probability(std::size_t i) const { return territory_.qpv_probability[i]; }

  const std::vector<FamilyPool>& families() const { return families_; }
  const std::vector<double>& participant_family_weights() const { return participant_weights_; }
  const std::vector<double>& contract_family_weights() const { return contract_weights_; }
  const FichePool* FindFiche(model::RomeCode code) const {
    for (const auto& f : families_)
      for (const auto& p : f.fiches)
        if (p.code == code) return &p;
    return nullptr;
  }
  const model::Referential& ref() const { return ref_; }

 private:
  void BuildTerritory() {
    if (config_.departements.empty()) throw std::invalid_argument("no département to generate for");
    std::unordered_set<std::string> wanted;
    for (const auto& d : config_.departements) {
      if (!ref_.FindDepartement(d)) throw std::invalid_argument("unknown département '" + d + "'");
      wanted.insert(d);
    }
    double total = 0;
    for (const auto& c : ref_.communes()) {
      // Paris, Lyon and Marseille appear both as a commune and as arrondissements: keep the commune.
      if (c.arrondissement || c.population == 0 || !wanted.count(c.departement)) continue;
      territory_.communes.push_back(&c);
      total += c.population;
      territory_.cumulative.push_back(total);
    }
    if (territory_.communes.empty())
      throw std::invalid_argument("the requested départements have no populated commune");

    // QPV residence: zero under 5,000 inhabitants, then growing with the log of the population,
    // scaled (bisection on k) so that the population-weighted mean is the configured share.
    std::vector<double> g(territory_.communes.size());
    for (std::size_t i = 0; i < g.size(); ++i) {
      const double pop = territory_.communes[i]->population;
      g[i] = pop < 5000 ? 0.0 : 0.5 + std::log10(pop / 5000.0);
    }
    auto mean_for = [&](double k) {
      double s = 0;
      for (std::size_t i = 0; i < g.size(); ++i) s += territory_.communes[i]->population * std::min(kMaxQpv, k * g[i]);
      return s / total;
    };
    double lo = 0, hi = 10;
    for (int it = 0; it < 60; ++it) {
      const double mid = (lo + hi) / 2;
      (mean_for(mid) < config_.shares.qpv ? lo : hi) = mid;
    }
    territory_.qpv_probability.resize(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) territory_.qpv_probability[i] = std::min(kMaxQpv, hi * g[i]);
  }

  void BuildFamilies() {
    const auto shares = lifecycle::LabourShareTable::Defaults();
    for (const auto& fam : TradeFamilies()) {
      FamilyPool pool;
      pool.family = &fam;
      pool.labour_share = LabourShare(fam, shares);
      for (const auto& tf : fam.fiches) {
        auto code = model::RomeCode::Parse(tf.fiche);
        if (!code || !ref_.FindFiche(*code))
          throw std::invalid_argument("trade table: ROME fiche " + std::string(tf.fiche) +
                                      " is not in the referential");
        FichePool fp;
        fp.code = *code;
        fp.weight = tf.weight;
        fp.required = tf.required;
        const auto appellation_idx = ref_.AppellationsOf(*code);
        std::size_t common = 0;
        for (auto idx : appellation_idx) common += ref_.appellations()[idx].rare ? 0 : 1;
        for (auto idx : appellation_idx) {
          const auto& a = ref_.appellations()[idx];
          if (a.rare) continue;
          fp.appellations.push_back(a.code);
          // The fiche's main title is as frequent as all its synonyms together.
          fp.appellation_weights.push_back(a.principal ? static_cast<double>(std::max<std::size_t>(common - 1, 1))
                                                       : 1.0);
        }
        if (fp.appellations.empty())
          throw std::invalid_argument("trade table: ROME fiche " + std::string(tf.fiche) + " has no appellation");
        for (const auto& s : ref_.SkillsOf(*code)) (s.core ? fp.core_skills : fp.other_skills).push_back(s.skill);
        for (const auto& m : ref_.MobilityFrom(*code)) fp.mobility.push_back(m.target);
        pool.fiche_weights.push_back(tf.weight);
        pool.fiches.push_back(std::move(fp));
      }
      participant_weights_.push_back(fam.participant_weight);
      contract_weights_.push_back(fam.contract_weight);
      families_.push_back(std::move(pool));
    }
  }

  // The labour share of the family's contracts by the rule both doors apply to a contract
  // (lifecycle::ResolveLabourShare): its CPV code's in the default table, else its principal
  // trade's (the family's first fiche).
  double LabourShare(const TradeFamily& fam, const lifecycle::LabourShareTable& shares) const {
    lifecycle::TradeShare principal;
    principal.fiche = *model::RomeCode::Parse(fam.fiches.front().fiche);
    const lifecycle::TradeShare trades[] = {principal};
    model::Problems problems;
    const auto choice = lifecycle::ResolveLabourShare(std::nullopt, fam.cpv, trades, shares, ref_, problems);
    if (!choice)
      throw std::invalid_argument("trade table: no labour share for " + std::string(fam.code) + ": " +
                                  problems.front().message);
    return choice->share;
  }

  static constexpr double kMaxQpv = 0.85;
  const GeneratorConfig& config_;
  const model::Referential& ref_;
  Territory territory_;
  std::vector<FamilyPool> families_;
  std::vector<double> participant_weights_;
  std::vector<double> contract_weights_;
};

// ---------------------------------------------------------------------------------------------
// Participants
// ---------------------------------------------------------------------------------------------
class ParticipantMaker {
 public:
  ParticipantMaker(const GeneratorConfig& config, const Tables& tables) : c_(config), s_(config.shares), t_(tables) {
    // Conditional probabilities that give the configured overall shares.
    rsa_other_ = std::clamp((s_.rsa - s_.jeune * kRsaAmongJeunes) / (1.0 - s_.jeune), 0.0, 1.0);
    rqth_base_ = s_.rqth / (1.0 + s_.senior);  // seniors twice as often: base*(1-senior) + 2*base*senior
    detld_base_ = s_.detld / (1.0 + s_.rsa);   // RSA recipients twice as often, the same way
    deld_base_ = s_.deld / (1.0 + s_.rsa);
  }

  model::Participant Make(std::size_t index) const {
    Prng rng = Prng::Stream(c_.seed, kParticipantStream, index);
    model::Participant p;
    p.id = model::ParticipantId(static_cast<std::uint32_t>(index + 1));
    const Date today = c_.as_of;

    // Where they live.
    const std::size_t ci = t_.SampleCommune(rng);
    const model::Commune& commune = t_.commune(ci);
    p.commune_insee = commune.insee;
    p.location = Jitter(rng, commune);

    // Age group, then criteria.
    const double age_draw = rng.Uniform();
    const bool jeune = age_draw < s_.jeune;
    const bool senior = !jeune && age_draw < s_.jeune + s_.senior;
    const bool ase = jeune && rng.Chance(s_.ase_among_jeunes);
    const int age = ase      ? rng.Between(18, 22)
                    : jeune  ? (rng.Chance(kMinorsAmongJeunes) ? rng.Between(16, 17) : rng.Between(18, 25))
                    : senior ? rng.Between(50, 64)
                             : rng.Between(26, 49);
    p.birth_date = DayIn(rng, today.AddYears(-(age + 1)).AddDays(1), today.AddYears(-age));

    model::CriterionSet set;
    if (jeune) set.insert(Criterion::kJeune);
    if (senior) set.insert(Criterion::kSenior);
    if (ase) set.insert(Criterion::kAse);
    if (rng.Chance(jeune ? kRsaAmongJeunes : rsa_other_)) set.insert(Criterion::kRsa);
    // Long-term job seekers twice as often among RSA recipients (registered with France Travail).
    const double seeker = rng.Uniform() / (set.contains(Criterion::kRsa) ? 2.0 : 1.0);
    if (seeker < detld_base_)
      set.insert(Criterion::kDetld);
    else if (seeker < detld_base_ + deld_base_)
      set.insert(Criterion::kDeld);
    if (rng.Chance(senior ? 2 * rqth_base_ : rqth_base_)) {
      set.insert(Criterion::kRqth);
      if (rng.Chance(s_.aah_among_rqth)) set.insert(Criterion::kAah);
    }
    if (rng.Chance(t_.qpv_probability(ci))) set.insert(Criterion::kQpv);
    if (commune.population < 2000 && rng.Chance(s_.zrr_among_rural)) set.insert(Criterion::kZrr);
    if (rng.Chance(s_.ass)) set.insert(Criterion::kAss);
    if (rng.Chance(s_.parent_isole)) set.insert(Criterion::kParentIsole);
    if (rng.Chance(s_.sans_hebergement)) set.insert(Criterion::kSansHebergement);
    const bool refugie = rng.Chance(s_.refugie);
    if (refugie) set.insert(Criterion::kRefugie);
    if (rng.Chance(refugie ? 0.5 : s_.francais_a1)) set.insert(Criterion::kFrancaisA1);
    if (rng.Chance(s_.sortant_detention)) set.insert(Criterion::kSortantDetention);
    if (rng.Chance(s_.niveau_formation)) set.insert(Criterion::kNiveauFormation);
    if (rng.Chance(s_.salarie_siae)) set.insert(Criterion::kSalarieSiae);

    // Mobility: licence, car, radius.
    if (rng.Chance(jeune ? 0.6 * s_.licence_b : s_.licence_b)) p.licences.insert(Licence::kB);
    if (p.licences.contains(Licence::kB) && rng.Chance(s_.car_among_licensed)) {
      p.mobility_mode = model::MobilityMode::kVoiture;
      p.mobility_radius_km = rng.Between(10, 50);
    } else {
      static constexpr std::pair<model::MobilityMode, double> kModes[] = {
          {model::MobilityMode::kTransportsEnCommun, 0.55},
          {model::MobilityMode::kDeuxRoues, 0.10},
          {model::MobilityMode::kVelo, 0.15},
          {model::MobilityMode::kMarche, 0.20}};
      p.mobility_mode = PickWeighted(rng, kModes);
      switch (p.mobility_mode) {
        case model::MobilityMode::kTransportsEnCommun:
          p.mobility_radius_km = rng.Between(8, 25);
          break;
        case model::MobilityMode::kDeuxRoues:
          p.licences.insert(Licence::kAm);
          p.mobility_radius_km = rng.Between(10, 30);
          break;
        case model::MobilityMode::kVelo:
          p.mobility_radius_km = rng.Between(5, 12);
          break;
        default:
          p.mobility_radius_km = 5;
          break;
      }
      if (rng.Chance(s_.mobilite_among_carless)) set.insert(Criterion::kMobilite);
    }
    if (p.licences.contains(Licence::kB) && rng.Chance(0.04)) p.licences.insert(Licence::kC);

    // Who follows them: the prescriber consistent with their situation.
    ChoosePrescriber(rng, set, commune, p);

    // Proofs: document criteria get a proof date within their validity period (model::ProofValidity),
    // except a share already lapsed. Documents with an end date carry it (valid_until): RQTH
    // decisions and residence titles for the duration drawn, a PASS IAE its 24 months.
    Prng documents = Prng::Stream(c_.seed, kDocumentStream, index);
    for (const auto& info : model::AllCriteria()) {
      if (!set.contains(info.criterion)) continue;
      model::CriterionProof proof;
      proof.criterion = info.criterion;
      proof.validated_by = p.prescriber_org;
      if (info.proof == model::ProofKind::kDocument) {
        const int months = info.criterion == Criterion::kRqth          ? PickWeighted(documents, kRqthMonths)
                           : info.validity == ValidityKind::kUntilDate ? PickWeighted(documents, kTitleMonths)
                                                                       : info.months;
        const Date valid_from = today.AddMonths(-months);
        proof.proof_date = rng.Chance(s_.expired_proof) ? valid_from.AddDays(-rng.Between(1, 270))
                                                        : DayIn(rng, valid_from.AddDays(1), today);
        if (info.validity == ValidityKind::kUntilDate || info.validity == ValidityKind::kPassIae)
          proof.valid_until = model::LastDayOfPeriod(*proof.proof_date, months);
      }
      p.criteria.push_back(std::move(proof));
    }

    // What they want to do.
    ChooseTrades(rng, p);
    if (rng.Chance(p.wanted_fiches.size() > 0 && IsLogisticsOrBtp(p.wanted_fiches[0]) ? 0.15 : 0.04))
      p.licences.insert(Licence::kCaces);

    // Sex, by the trade family of the first wish (first names below are drawn regardless of it).
    Prng sex = Prng::Stream(c_.seed, kSexStream, index);
    if (!sex.Chance(kSexNotRecorded)) {
      const TradeFamily* family = p.wanted_fiches.empty() ? nullptr : TradeFamilyOf(p.wanted_fiches[0]);
      p.sex = sex.Chance(WomenAmong(family)) ? model::Sex::kFemme : model::Sex::kHomme;
    }

    // Identity (fake).
    const Name& first = PickUniform(rng, kFirstNames);
    const Name& last = PickUniform(rng, kLastNames);
    p.first_name = first.display;
    p.last_name = last.display;
    if (rng.Chance(0.6))
      p.email = std::string(first.ascii) + "." + std::string(last.ascii) + std::to_string(index + 1) + "@example.org";
    if (rng.Chance(0.7)) {
      std::string digits = std::to_string(rng.Below(10000));
      p.phone = "063998" + std::string(4 - digits.size(), '0') + digits;
    }
    p.external_ref = p.prescriber_org + "-" + std::to_string(100000 + index);

    // Dates of the follow-up.
    p.registration_date = today.AddDays(-static_cast<int>(rng.Below(731)));
    if (rng.Chance(s_.consent)) {
      p.consent = true;
      p.consent_date = std::min(today, p.registration_date.AddDays(static_cast<int>(rng.Below(15))));
    }
    if (p.criteria.empty()) {
      // Nobody is followed without a reason: the others come in on a facilitator derogation.
      model::Derogation d;
      d.granted_on = std::max(p.registration_date, today.AddDays(-static_cast<int>(rng.Below(150))));
      d.granted_by = "FAC-" + commune.zone_emploi;
      d.reason = PickUniform(rng, kDerogationReasons);
      p.diagnosis_date = d.granted_on;
      p.derogation = std::move(d);
    } else if (rng.Chance(0.6)) {
      p.diagnosis_date = std::max(p.registration_date, today.AddDays(-static_cast<int>(rng.Below(240))));
    }
    p.available_from = rng.Chance(0.5) ? DayIn(rng, p.registration_date, today) : today.AddDays(rng.Between(1, 180));
    static constexpr std::pair<double, double> kHours[] = {{35, 0.55}, {30, 0.10}, {28, 0.10}, {24, 0.15}, {20, 0.10}};
    p.weekly_hours_wanted = PickWeighted(rng, kHours);
    static constexpr std::pair<model::ParticipantStatus, double> kStatus[] = {
        {model::ParticipantStatus::kActive, 0.92},
        {model::ParticipantStatus::kPlaced, 0.04},
        {model::ParticipantStatus::kSuspended, 0.03},
        {model::ParticipantStatus::kWithdrawn, 0.01}};
    p.status = PickWeighted(rng, kStatus);
    if (rng.Chance(0.25)) {
      p.last_proposal_date = DayIn(rng, p.registration_date, today);
      if (today - *p.last_proposal_date < 60 && rng.Chance(0.5)) p.open_proposals = rng.Chance(0.2) ? 2 : 1;
    }
    return p;
  }

 private:
  static constexpr double kRsaAmongJeunes = 0.08;     // RSA under 25 is the exception (young parents)
  static constexpr double kMinorsAmongJeunes = 0.03;  // 16-17 year olds: rare on clause jobs

  static model::GeoPoint Jitter(Prng& rng, const model::Commune& c) {
    // Up to ~0.5 km around a village centre, 2.5 km in a city.
    const double radius_km = std::min(2.5, 0.4 + 0.5 * std::sqrt(c.population / 10000.0));
    const double r = radius_km * std::sqrt(rng.Uniform());
    const double theta = 6.283185307179586 * rng.Uniform();
    constexpr double kKmPerDegree = 111.32;
    const double lat = c.centre.lat + r * std::sin(theta) / kKmPerDegree;
    const double lon =
        c.centre.lon + r * std::cos(theta) / (kKmPerDegree * std::cos(c.centre.lat * 0.017453292519943295));
    return {Round(lat, 1e5), Round(lon, 1e5)};
  }

  static void ChoosePrescriber(Prng& rng, model::CriterionSet set, const model::Commune& c, model::Participant& p) {
    using K = model::PrescriberKind;
    const std::string& dep = c.departement;
    const std::string& zone = c.zone_emploi;
    K kind;
    if (set.contains(Criterion::kSortantDetention) && rng.Chance(0.8))
      kind = K::kSpip;
    else if (set.contains(Criterion::kAse) && rng.Chance(0.5))
      kind = K::kAse;
    else if (set.contains(Criterion::kJeune))
      kind = rng.Chance(0.85) ? K::kMissionLocale : K::kFranceTravail;
    else if (set.contains(Criterion::kRqth) && rng.Chance(0.7))
      kind = K::kCapEmploi;
    else if (set.contains(Criterion::kRsa)) {
      static constexpr std::pair<K, double> kRsa[] = {
          {K::kDepartement, 0.5}, {K::kPlie, 0.2}, {K::kFranceTravail, 0.2}, {K::kCcas, 0.1}};
      kind = PickWeighted(rng, kRsa);
    } else {
      static constexpr std::pair<K, double> kOther[] = {
          {K::kFranceTravail, 0.6}, {K::kPlie, 0.25}, {K::kSiae, 0.1}, {K::kAutre, 0.05}};
      kind = PickWeighted(rng, kOther);
    }
    p.prescriber_kind = kind;
    switch (kind) {
      case K::kFranceTravail:
        p.prescriber_org = "FT-" + zone;
        break;
      case K::kMissionLocale:
        p.prescriber_org = "ML-" + zone;
        break;
      case K::kCapEmploi:
        p.prescriber_org = "CAPEMPLOI-" + dep;
        break;
      case K::kPlie:
        p.prescriber_org = "PLIE-" + zone;
        break;
      case K::kDepartement:
        p.prescriber_org = "CD-" + dep;
        break;
      case K::kSpip:
        p.prescriber_org = "SPIP-" + dep;
        break;
      case K::kAse:
        p.prescriber_org = "ASE-" + dep;
        break;
      case K::kCcas:
        p.prescriber_org = "CCAS-" + c.insee;
        break;
      case K::kSiae:
        p.prescriber_org = "SIAE-" + zone + "-" + std::to_string(1 + rng.Below(5));
        break;
      case K::kAutre:
        p.prescriber_org = "ASSO-" + dep + "-" + std::to_string(1 + rng.Below(3));
        break;
    }
  }

  bool IsLogisticsOrBtp(model::RomeCode fiche) const { return fiche.domain() == 'F' || fiche.domain() == 'N'; }

  void ChooseTrades(Prng& rng, model::Participant& p) const {
    const auto& families = t_.families();
    const FamilyPool& fam = families[rng.Pick(t_.participant_family_weights())];
    const FichePool& first = fam.fiches[rng.Pick(fam.fiche_weights)];
    AddWish(rng, first, p);
    if (rng.Chance(0.5)) AddWish(rng, fam.fiches[rng.Pick(fam.fiche_weights)], p);
    if (rng.Chance(0.2)) {
      const FamilyPool& other = families[rng.Pick(t_.participant_family_weights())];
      AddWish(rng, other.fiches[rng.Pick(other.fiche_weights)], p);
    }
    // Skills from the first wish's fiche, core skills more often; a few from the second.
    std::vector<model::SkillCode> skills;
    for (auto s : first.core_skills)
      if (rng.Chance(0.6)) skills.push_back(s);
    for (auto s : first.other_skills)
      if (rng.Chance(0.12)) skills.push_back(s);
    if (p.wanted_fiches.size() > 1)
      if (const FichePool* second = t_.FindFiche(p.wanted_fiches[1]))
        for (auto s : second->core_skills)
          if (rng.Chance(0.3)) skills.push_back(s);
    // Noise: a few skills of a neighbouring job (a mobility link of the first fiche).
    if (!first.mobility.empty()) {
      const auto target =
          first.mobility[rng.Below(static_cast<std::uint32_t>(std::min<std::size_t>(first.mobility.size(), 5)))];
      const auto neighbour = t_.ref().SkillsOf(target);
      if (!neighbour.empty()) {
        const int n = rng.Between(0, 3);
        for (int k = 0; k < n; ++k)
          skills.push_back(neighbour[rng.Below(static_cast<std::uint32_t>(neighbour.size()))].skill);
      }
    }
    std::sort(skills.begin(), skills.end());
    skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
    p.skills = std::move(skills);
  }

  static void AddWish(Prng& rng, const FichePool& fiche, model::Participant& p) {
    const auto a = fiche.appellations[rng.Pick(fiche.appellation_weights)];
    if (std::find(p.wanted_appellations.begin(), p.wanted_appellations.end(), a) == p.wanted_appellations.end())
      p.wanted_appellations.push_back(a);
    if (std::find(p.wanted_fiches.begin(), p.wanted_fiches.end(), fiche.code) == p.wanted_fiches.end())
      p.wanted_fiches.push_back(fiche.code);
  }

  const GeneratorConfig& c_;
  const ParticipantShares& s_;
  const Tables& t_;
  double rsa_other_ = 0;
  double rqth_base_ = 0;
  double detld_base_ = 0;
  double deld_base_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Contracts and their openings
// ---------------------------------------------------------------------------------------------
class ContractMaker {
 public:
  ContractMaker(const GeneratorConfig& config, const Tables& tables) : c_(config), t_(tables) {}

  void Make(std::size_t index, model::Dataset& out) const {
    Prng rng = Prng::Stream(c_.seed, kContractStream, index);
    const Date today = c_.as_of;
    const std::size_t family_index = rng.Pick(t_.contract_family_weights());
    const FamilyPool& pool = t_.families()[family_index];
    const TradeFamily& fam = *pool.family;
    const model::Commune& commune = t_.commune(t_.SampleCommune(rng));

    model::Contract k;
    k.id = model::ContractId(static_cast<std::uint32_t>(index + 1));
    k.worksite_insee = commune.insee;
    k.worksite_location = commune.centre;
    k.cpv_code = std::string(fam.cpv);
    k.title = std::string(fam.title) + " — " + commune.name;
    k.buyer = Buyer(rng, commune);
    k.facilitator_org = "FAC-" + commune.zone_emploi;
    if (rng.Chance(0.7))
      k.holder = "Titulaire fictif " + std::string(fam.code) + " n°" + std::to_string(1 + rng.Below(500));

    k.start = today.AddDays(rng.Between(-240, 90));
    k.end = k.start.AddMonths(rng.Between(6, 36));
    if (k.end < today.AddDays(120)) k.end = today.AddDays(120 + rng.Between(0, 120));
    char ref[32];
    std::snprintf(ref, sizeof ref, "%d-%s-%05zu", k.start.year(), commune.departement.c_str(), index + 1);
    k.reference = ref;

    k.amount_excl_vat_eur = std::clamp(Round(fam.median_amount_eur * std::exp(fam.amount_sigma * rng.Normal()), 0.01),
                                       30'000.0, 30'000'000.0);
    static constexpr std::pair<double, double> kRates[] = {
        {0.05, 0.50}, {0.07, 0.20}, {0.10, 0.20}, {0.15, 0.07}, {0.20, 0.03}};
    const lifecycle::SizingInput input{k.amount_excl_vat_eur, pool.labour_share, PickWeighted(rng, kRates),
                                       kHourlyCost};
    model::Problems problems;
    const auto sizing = lifecycle::SizeClause(input, problems);
    if (!sizing) throw std::logic_error("generated contract cannot be sized: " + problems.front().message);
    lifecycle::ApplySizing(k, input, *sizing);

    using CT = model::ClauseType;
    static constexpr std::pair<CT, double> kClauseTypes[] = {{CT::kConditionExecution, 0.80},
                                                             {CT::kCritereAttribution, 0.08},
                                                             {CT::kMarcheReserveSiae, 0.05},
                                                             {CT::kMarcheInsertion, 0.05},
                                                             {CT::kMarcheReserveHandicap, 0.02}};
    k.clause_type = PickWeighted(rng, kClauseTypes);
    k.qpv_only = commune.population >= 10000 && rng.Chance(0.12);  // urban renewal (ANRU/NPNRU)

    // Accepted publics: the usual local list, or every IAE criterion.
    if (rng.Chance(0.5) || k.clause_type == CT::kMarcheReserveSiae || k.clause_type == CT::kMarcheInsertion) {
      for (const auto& info : model::AllCriteria()) k.accepted_publics.insert(info.criterion);
    } else {
      k.accepted_publics = {Criterion::kRsa,  Criterion::kAss,  Criterion::kAah,   Criterion::kDetld,
                            Criterion::kDeld, Criterion::kRqth, Criterion::kJeune, Criterion::kSalarieSiae};
    }
    if (k.qpv_only) k.accepted_publics.insert(Criterion::kQpv);
    k.accepts_derogation = rng.Chance(0.85);
    if (rng.Chance(0.55)) k.priority_publics.insert(Criterion::kRsa);
    if (rng.Chance(0.45)) k.priority_publics.insert(Criterion::kJeune);
    if (rng.Chance(0.15)) k.priority_publics.insert(Criterion::kAse);
    if (rng.Chance(0.10)) k.priority_publics.insert(Criterion::kDetld);
    if (k.qpv_only && rng.Chance(0.5)) k.priority_publics.insert(Criterion::kQpv);
    k.accepted_publics = k.accepted_publics | k.priority_publics;  // a priority public is always accepted
    k.iae_level2_required = rng.Chance(0.85) ? 2 : 3;
    if (rng.Chance(0.12)) {
      k.priority_publics.insert(Criterion::kRsa);
      k.accepted_publics.insert(Criterion::kRsa);
      k.quotas.push_back({Criterion::kRsa, 0, 0.3});
    }
    if (rng.Chance(0.05)) {
      k.priority_publics.insert(Criterion::kJeune);
      k.accepted_publics.insert(Criterion::kJeune);
      k.quotas.push_back({Criterion::kJeune, 1, 0.0});
    }
    MakeOpenings(rng, k, pool, out);
    out.contracts.push_back(std::move(k));
  }

 private:
  static constexpr double kHourlyCost = 30.0;
  static constexpr int kMaxOpeningsPerContract = 60;

  // Public buyers are named after real public bodies (not personal data); social landlords are
  // made up so that no real company is described.
  std::string Buyer(Prng& rng, const model::Commune& commune) const {
    const double u = rng.Uniform();
    if (u < 0.5) return "Ville de " + commune.name;
    if (u < 0.7) {
      const auto* d = t_.ref().FindDepartement(commune.departement);
      return "Département " + (d ? d->name : commune.departement);
    }
    if (u < 0.8) {
      const auto* r = t_.ref().FindRegion(commune.region);
      return "Région " + (r ? r->name : commune.region);
    }
    return "Bailleur social fictif " + commune.departement + "-" + std::to_string(1 + rng.Below(6));
  }

  // Weekly hours of an opening by trade (docs/generator.md "Openings"): building and public works
  // full-time, cleaning and catering mostly part-time, the others in between.
  static double WeeklyHours(Prng& rng, std::string_view family) {
    static constexpr std::pair<double, double> kFullTime[] = {{35, 0.95}, {28, 0.05}};
    static constexpr std::pair<double, double> kCleaning[] = {{35, 0.25}, {26, 0.25}, {24, 0.30}, {20, 0.20}};
    static constexpr std::pair<double, double> kCatering[] = {{35, 0.45}, {30, 0.20}, {24, 0.25}, {20, 0.10}};
    static constexpr std::pair<double, double> kOther[] = {{35, 0.70}, {30, 0.10}, {26, 0.10}, {24, 0.10}};
    if (family.starts_with("btp_") || family == "travaux_publics") return PickWeighted(rng, kFullTime);
    if (family == "nettoyage") return PickWeighted(rng, kCleaning);
    if (family == "restauration") return PickWeighted(rng, kCatering);
    return PickWeighted(rng, kOther);
  }

  void MakeOpenings(Prng& rng, const model::Contract& k, const FamilyPool& pool, model::Dataset& out) const {
    const Date today = c_.as_of;
    const Date earliest = std::max(k.start, today.AddDays(7));
    const Date latest = std::max(earliest, std::min(k.end.AddDays(-28), today.AddDays(270)));
    double remaining = k.insertion_hours;
    using CT = model::ContractType;
    static constexpr std::pair<CT, double> kTypes[] = {
        {CT::kCdd, 0.30},           {CT::kInterimEtti, 0.25},          {CT::kCddi, 0.12},
        {CT::kGeiq, 0.08},          {CT::kMiseADispositionAi, 0.08},   {CT::kCdi, 0.05},
        {CT::kApprentissage, 0.05}, {CT::kProfessionnalisation, 0.03}, {CT::kInterim, 0.04}};
    static constexpr std::pair<double, double> kReach[] = {{20, 0.3}, {30, 0.5}, {40, 0.2}};

    for (int n = 0; n < kMaxOpeningsPerContract && (n == 0 || remaining >= 35.0); ++n) {
      const FichePool& fiche = pool.fiches[rng.Pick(pool.fiche_weights)];
      model::Opening o;
      o.id = model::OpeningId(static_cast<std::uint32_t>(out.openings.size() + 1));
      o.contract = k.id;
      o.appellation = fiche.appellations[rng.Pick(fiche.appellation_weights)];
      o.fiche = fiche.code;
      o.weekly_hours = WeeklyHours(rng, pool.family->code);
      o.start = DayIn(rng, earliest, latest);
      const int max_weeks = std::max(1, (k.end - o.start + 1) / 7);
      int weeks = std::min(rng.Between(4, 26), max_weeks);
      const int affordable = static_cast<int>(remaining / (o.weekly_hours * weeks));
      if (affordable >= 1) {
        o.positions = rng.Between(1, std::min(5, affordable));
      } else {
        o.positions = 1;
        weeks = std::clamp(static_cast<int>(remaining / o.weekly_hours), 1, max_weeks);
      }
      o.end = o.start.AddDays(7 * weeks - 1);
      remaining -= o.positions * o.weekly_hours * weeks;
      o.worksite_insee = k.worksite_insee;
      o.worksite_location = k.worksite_location;
      o.contract_type = PickWeighted(rng, kTypes);
      o.required_licences = fiche.required;
      if (!fiche.core_skills.empty() && rng.Chance(0.3)) {
        const int count = rng.Between(1, 2);
        for (int s = 0; s < count; ++s)
          o.required_skills.push_back(
              fiche.core_skills[rng.Below(static_cast<std::uint32_t>(fiche.core_skills.size()))]);
        std::sort(o.required_skills.begin(), o.required_skills.end());
        o.required_skills.erase(std::unique(o.required_skills.begin(), o.required_skills.end()),
                                o.required_skills.end());
      }
      o.max_distance_km = PickWeighted(rng, kReach);
      o.status = rng.Chance(0.95) ? model::OpeningStatus::kOpen : model::OpeningStatus::kDraft;
      out.openings.push_back(std::move(o));
    }
  }

  const GeneratorConfig& c_;
  const Tables& t_;
};

std::string TerritoryLabel(const GeneratorConfig& config, const model::Referential& ref) {
  if (!config.territory.empty()) return config.territory;
  if (config.departements.size() == 1) {
    const auto* d = ref.FindDepartement(config.departements[0]);
    return "Département " + config.departements[0] + (d ? " (" + d->name + ")" : "");
  }
  std::string label = "Départements ";
  for (std::size_t i = 0; i < config.departements.size(); ++i) label += (i ? ", " : "") + config.departements[i];
  return label;
}

}  // namespace

std::span<const TradeFamily> TradeFamilies() { return kFamilies; }

const TradeFamily* TradeFamilyOf(model::RomeCode fiche) {
  for (const auto& fam : kFamilies)
    for (const auto& f : fam.fiches)
      if (f.fiche == fiche.view()) return &fam;
  return nullptr;
}

DatasetSummary Summarize(const model::Dataset& ds, const model::Referential& ref) {
  DatasetSummary s;
  s.participants = ds.participants.size();
  s.contracts = ds.contracts.size();
  s.openings = ds.openings.size();
  for (const auto& k : ds.contracts) s.insertion_hours += k.insertion_hours;

  for (const auto& info : model::AllCriteria())
    s.by_criterion.push_back({std::string(info.code), std::string(info.label), 0, 0});
  std::map<std::string, DatasetSummary::Row> departements;
  auto departement_row = [&](const std::string& insee) -> DatasetSummary::Row& {
    const auto* c = ref.FindCommune(insee);
    const std::string code = c ? c->departement : "?";
    auto [it, added] = departements.try_emplace(code);
    if (added) {
      const auto* d = c ? ref.FindDepartement(code) : nullptr;
      it->second = {code, d ? d->name : "unknown commune", 0, 0};
    }
    return it->second;
  };
  for (const auto& p : ds.participants) {
    for (const auto& c : p.criteria) ++s.by_criterion[static_cast<std::size_t>(c.criterion)].participants;
    ++departement_row(p.commune_insee).participants;
  }

  for (const auto& fam : kFamilies) s.by_trade.push_back({std::string(fam.code), std::string(fam.label), 0, 0});
  s.by_trade.push_back({"autre", "Autres métiers", 0, 0});
  for (const auto& o : ds.openings) {
    const auto n = static_cast<std::size_t>(std::max(o.positions, 0));
    s.positions += n;
    departement_row(o.worksite_insee).positions += n;
    const TradeFamily* fam = TradeFamilyOf(o.fiche);
    s.by_trade[fam ? static_cast<std::size_t>(fam - kFamilies) : s.by_trade.size() - 1].positions += n;
  }
  for (auto& [code, row] : departements) s.by_departement.push_back(std::move(row));
  return s;
}

std::vector<std::string> DepartementsOfRegion(const model::Referential& ref, std::string_view region) {
  std::vector<std::string> out;
  for (const auto& d : ref.departements())
    if (d.region == region) out.push_back(d.code);
  return out;
}

GeneratorConfig PresetConfig(std::string_view preset, const model::Referential& ref) {
  GeneratorConfig config;
  auto region_label = [&](std::string_view code) {
    const auto* r = ref.FindRegion(code);
    return "Région " + std::string(code) + (r ? " (" + r->name + ")" : "");
  };
  if (preset == "departement") {
    config.departements = {"80"};
    config.participants = 20'000;
    config.contracts = 700;
  } else if (preset == "region") {
    config.departements = DepartementsOfRegion(ref, "32");
    config.territory = region_label("32");
    config.participants = 300'000;
    config.contracts = 11'000;
  } else if (preset == "large") {
    config.departements = DepartementsOfRegion(ref, "32");
    for (auto& d : DepartementsOfRegion(ref, "11")) config.departements.push_back(std::move(d));
    config.territory = region_label("32") + " + " + region_label("11");
    config.participants = 1'000'000;
    config.contracts = 37'000;
  } else if (preset == "national") {
    // The 13 metropolitan regions, people and contracts in proportion to the population at the
    // region preset's rates (300,000 participants and 11,000 contracts for Hauts-de-France's).
    for (const char* region : kMetropolitanRegions)
      for (auto& d : DepartementsOfRegion(ref, region)) config.departements.push_back(std::move(d));
    config.territory = "France métropolitaine (13 régions)";
    const double ratio = PopulationOf(ref, config.departements) / PopulationOf(ref, DepartementsOfRegion(ref, "32"));
    config.participants = static_cast<std::size_t>(std::llround(300'000 * ratio / 1'000)) * 1'000;
    config.contracts = static_cast<std::size_t>(std::llround(11'000 * ratio / 100)) * 100;
  } else {
    throw std::invalid_argument("unknown preset '" + std::string(preset) +
                                "' (departement, region, large or national)");
  }
  return config;
}

double PopulationOf(const model::Referential& ref, const std::vector<std::string>& departements) {
  const std::unordered_set<std::string> wanted(departements.begin(), departements.end());
  double total = 0;
  // As the generator's territory counts it: Paris, Lyon and Marseille once, not by arrondissement.
  for (const auto& c : ref.communes())
    if (!c.arrondissement && wanted.count(c.departement)) total += c.population;
  return total;
}

model::Dataset Generate(const GeneratorConfig& config, const model::Referential& ref,
                        const GeneratorProgress& progress) {
  const Tables tables(config, ref);
  model::Dataset ds;
  ds.as_of = config.as_of;
  ds.territory = TerritoryLabel(config, ref);

  const ParticipantMaker participants(config, tables);
  ds.participants.resize(config.participants);
  for (std::size_t begin = 0; begin < config.participants; begin += kBlock) {
    const std::size_t end = std::min(config.participants, begin + kBlock);
    tbb::parallel_for(begin, end, [&](std::size_t i) { ds.participants[i] = participants.Make(i); });
    if (progress) progress("participants", end, config.participants);
  }

  const ContractMaker contracts(config, tables);
  ds.contracts.reserve(config.contracts);
  for (std::size_t j = 0; j < config.contracts; ++j) {
    contracts.Make(j, ds);
    if (progress && ((j + 1) % 1024 == 0 || j + 1 == config.contracts)) progress("contracts", j + 1, config.contracts);
  }
  ds.Index();
  return ds;
}

}  // namespace clausematch::generator
