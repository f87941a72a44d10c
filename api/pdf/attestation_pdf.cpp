#include "api/pdf/attestation_pdf.hpp"

#include <hpdf.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/enums.hpp"
#include "service/attestation.hpp"
#include "service/error.hpp"

namespace clausematch::api::pdf {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kDocTag = "clausematch-attestation-v1 doc:";
constexpr std::string_view kSigTag = "clausematch-attestation-v1 sig:";
constexpr std::string_view kKeyTag = " pk:";

constexpr float kLeft = 50;
constexpr float kRight = 545;
constexpr float kTop = 792;
constexpr float kBottom = 60;
constexpr float kLabelWidth = 170;  // of a field's label

constexpr const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

std::string FrenchMonth(const std::string& ym) {  // "2026-03" -> "mars 2026"
  if (ym.size() != 7) return ym;
  const int m = std::atoi(ym.substr(5, 2).c_str());
  if (m < 1 || m > 12) return ym;
  return std::string(kMonths[m - 1]) + " " + ym.substr(0, 4);
}

std::string FrenchDate(const std::string& iso) {  // "2026-12-04" -> "4 décembre 2026"
  if (iso.size() != 10) return iso;
  return std::to_string(std::atoi(iso.substr(8, 2).c_str())) + " " + FrenchMonth(iso.substr(0, 7));
}

// "1234.50" -> "1 234,50" (French number writing; a narrow space would need a glyph check).
std::string FrenchHours(const std::string& hours) {
  const auto dot = hours.find('.');
  std::string whole = hours.substr(0, dot);
  const std::string decimals = dot == std::string::npos ? "" : "," + hours.substr(dot + 1);
  std::string grouped;
  const bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ' ';
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + decimals;
}

std::string RouteLabel(const std::string& code) {
  const auto route = model::ParseEnum<model::FulfilmentRoute>(code);
  return route ? std::string(model::Label(*route)) : code;
}

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
  auto* failed = static_cast<std::string*>(user);
  if (failed->empty()) failed->assign("libharu error " + std::to_string(error) + " (" + std::to_string(detail) + ")");
}

class Writer {
 public:
  Writer() : doc_(HPDF_New(OnError, &error_), HPDF_Free) {
    if (!doc_) throw std::runtime_error("libharu cannot create a document");
    HPDF_SetCompressionMode(doc_.get(), HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc_.get());
  }
  HPDF_Doc doc() { return doc_.get(); }
  void LoadFonts() {
    const auto dir = FontDir();
    auto load = [&](const char* file) {
      const auto path = (std::filesystem::path(dir) / file).string();
      if (!std::filesystem::exists(path))
        throw service::Error(service::ErrorKind::kUnavailable,
                             "font " + path + " not found (Debian package fonts-dejavu-core, or CLAUSEMATCH_FONT_DIR)");
      const char* name = HPDF_LoadTTFontFromFile(doc_.get(), path.c_str(), HPDF_TRUE);
      return name ? HPDF_GetFont(doc_.get(), name, "UTF-8") : nullptr;
    };
    regular_ = load("DejaVuSans.ttf");
    bold_ = load("DejaVuSans-Bold.ttf");
    mono_ = load("DejaVuSansMono.ttf");
    Check();
  }
  void NewPage() {
    page_ = HPDF_AddPage(doc_.get());
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = kTop;
    ++pages_;
  }
  // Room for `height` points below the cursor, else a new page.
  void Need(float height) {
    if (y_ - height < kBottom) NewPage();
  }
  void Text(float x, float y, const std::string& text, HPDF_Font font, float size) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font, size);
    HPDF_Page_TextOut(page_, x, y, text.c_str());
    HPDF_Page_EndText(page_);
  }
  float Width(const std::string& text, HPDF_Font font, float size) {
    HPDF_Page_SetFontAndSize(page_, font, size);
    return HPDF_Page_TextWidth(page_, text.c_str());
  }
  // `text` cut (on a character boundary, "…" marking the cut) to fit `width`.
  std::string Fit(std::string text, HPDF_Font font, float size, float width) {
    if (Width(text, font, size) <= width) return text;
    while (!text.empty()) {
      do text.pop_back();
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
      if (!text.empty()) text.pop_back();  // the lead byte
      if (Width(text + "…", font, size) <= width) return text + "…";
    }
    return text;
  }
  void RightText(float right, float y, const std::string& text, HPDF_Font font, float size) {
    Text(right - Width(text, font, size), y, text, font, size);
  }
  void Line(float y, float gray = 0.6F) {
    HPDF_Page_SetGrayStroke(page_, gray);
    HPDF_Page_SetLineWidth(page_, 0.5F);
    HPDF_Page_MoveTo(page_, kLeft, y);
    HPDF_Page_LineTo(page_, kRight, y);
    HPDF_Page_Stroke(page_);
  }
  void Box(float x, float y, float w, float h) {
    HPDF_Page_SetGrayStroke(page_, 0.3F);
    HPDF_Page_SetLineWidth(page_, 0.7F);
    HPDF_Page_Rectangle(page_, x, y, w, h);
    HPDF_Page_Stroke(page_);
  }
  void Heading(const std::string& text) {
    Need(40);
    y_ -= 22;
    Text(kLeft, y_, text, bold_, 11.5F);
    y_ -= 5;
    Line(y_, 0.2F);
    y_ -= 4;
  }
  // A label and its value on one line.
  void Field(const std::string& label, const std::string& value) {
    Need(16);
    y_ -= 14;
    Text(kLeft, y_, label, bold_, 9.5F);
    Text(kLeft + kLabelWidth, y_, Fit(value, regular_, 9.5F, kRight - kLeft - kLabelWidth), regular_, 9.5F);
  }
  void Check() const {
    if (!error_.empty()) throw std::runtime_error("PDF rendering failed: " + error_);
  }
  std::string Save() {
    HPDF_SaveToStream(doc_.get());
    Check();
    std::string out(HPDF_GetStreamSize(doc_.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(doc_.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    Check();
    return out;
  }

  HPDF_Font regular_ = nullptr, bold_ = nullptr, mono_ = nullptr;
  HPDF_Page page_ = nullptr;
  float y_ = kTop;
  int pages_ = 0;

 private:
  std::string error_;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> doc_;
};

// The text of a PDF literal string up to its closing parenthesis: libharu escapes some characters
// of base64 ('/' as "\057"), so octal and single-character escapes are undone.
std::string Unescaped(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && s[i] != ')'; ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    int value = 0, digits = 0;
    while (digits < 3 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7') {
      value = value * 8 + (s[++i] - '0');
      ++digits;
    }
    out.push_back(digits > 0 ? static_cast<char>(value) : s[++i]);
  }
  return out;
}

std::string Str(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string FontDir() {
  if (const char* dir = std::getenv("CLAUSEMATCH_FONT_DIR"); dir != nullptr && *dir != '\0') return dir;
  return "/usr/share/fonts/truetype/dejavu";
}

std::string AttestationPdf(std::string_view canonical, std::string_view signature, std::string_view public_key) {
  if (canonical.size() > kMaxDocumentBytes)
    throw service::Error(service::ErrorKind::kInvalid,
                         "the attestation is too long for one PDF (" + std::to_string(canonical.size()) +
                             " bytes of figures, at most " + std::to_string(kMaxDocumentBytes) + "): ask for JSON");
  const auto doc = Json::parse(canonical);
  Writer w;
  // The metadata first, before any encoder is current: plain ASCII strings (base64).
  const std::string encoded = service::Base64(std::vector<unsigned char>(canonical.begin(), canonical.end()));
  HPDF_SetInfoAttr(w.doc(), HPDF_INFO_KEYWORDS, (std::string(kDocTag) + encoded).c_str());
  HPDF_SetInfoAttr(
      w.doc(), HPDF_INFO_SUBJECT,
      (std::string(kSigTag) + std::string(signature) + std::string(kKeyTag) + std::string(public_key)).c_str());
  HPDF_SetInfoAttr(w.doc(), HPDF_INFO_TITLE, "Attestation d'heures d'insertion");
  HPDF_SetInfoAttr(w.doc(), HPDF_INFO_CREATOR, "clausematch");
  w.LoadFonts();
  w.NewPage();

  const auto& contract = doc.at("contract");
  const auto& issuer = doc.at("issuer");
  const auto& totals = doc.at("totals");
  const std::string period = Str(doc, "period");
  const bool whole = period == "contract";

  w.Text(kLeft, w.y_, "Attestation de réalisation des heures d'insertion", w.bold_, 16);
  w.y_ -= 20;
  w.Text(kLeft, w.y_,
         whole ? "Ensemble du marché, jusqu'au " + FrenchDate(Str(doc, "issued_on")) : "Mois de " + FrenchMonth(period),
         w.regular_, 12);
  w.y_ -= 14;
  w.Text(kLeft, w.y_,
         "Clause sociale d'insertion — heures réalisées par les personnes en parcours d'insertion, par parcours et par "
         "mois,",
         w.regular_, 8.5F);
  w.y_ -= 11;
  w.Text(kLeft, w.y_, "au regard de l'objectif d'heures de la clause.", w.regular_, 8.5F);

  w.Heading("Marché");
  w.Field("Référence", Str(contract, "reference"));
  w.Field("Objet", Str(contract, "title"));
  w.Field("Acheteur", Str(contract, "buyer"));
  w.Heading("Entreprise titulaire");
  w.Field("Raison sociale", Str(contract, "holder").empty() ? "(non renseignée)" : Str(contract, "holder"));
  w.Field("SIRET", Str(contract, "holder_siret").empty() ? "(non renseigné)" : Str(contract, "holder_siret"));
  w.Heading("Facilitateur de la clause");
  w.Field("Organisation", Str(issuer, "org"));

  w.Heading("Objectif de la clause");
  const std::string to_date_label = whole ? "Réalisé à ce jour (heures)" : "Réalisé à fin " + FrenchMonth(period);
  w.Field("Objectif (heures)", FrenchHours(Str(totals, "target_hours")));
  if (!whole) w.Field("Heures du mois", FrenchHours(Str(totals, "period_hours")));
  w.Field(to_date_label, FrenchHours(Str(totals, "to_date_hours")));
  w.Field("Reste à réaliser", FrenchHours(Str(totals, "remaining_hours")));
  w.Field("Taux de réalisation",
          totals.at("percent").is_string() ? FrenchHours(totals.at("percent").get<std::string>()) + " %" : "—");

  // Hours by person.
  const bool named = Str(doc, "people") == "named";
  w.Heading(named ? "Heures par personne (prénom et initiale du nom)" : "Heures par personne (pseudonymes)");
  // Pseudonyms (34 characters, monospaced) take a wider column than first names and initials.
  const float c_route = named ? 150 : 212, c_employer = named ? 320 : 352, c_period = 488, c_cumul = kRight;
  auto person_header = [&] {
    w.y_ -= 12;
    w.Text(kLeft, w.y_, "Personne", w.bold_, 8.5F);
    w.Text(c_route, w.y_, "Parcours", w.bold_, 8.5F);
    w.Text(c_employer, w.y_, "Employeur", w.bold_, 8.5F);
    w.RightText(c_period, w.y_, whole ? "Heures" : "Mois", w.bold_, 8.5F);
    w.RightText(c_cumul, w.y_, "Cumul", w.bold_, 8.5F);
    w.y_ -= 3;
    w.Line(w.y_);
  };
  person_header();
  const auto& lines = doc.at("lines");
  if (lines.empty()) {
    w.y_ -= 12;
    w.Text(kLeft, w.y_, "Aucune heure déclarée sur la période.", w.regular_, 8.5F);
  }
  for (const auto& line : lines) {
    if (w.y_ - 12 < kBottom) {
      w.NewPage();
      person_header();
    }
    w.y_ -= 12;
    const auto person_font = named ? w.regular_ : w.mono_;
    w.Text(kLeft, w.y_, w.Fit(Str(line, "person"), person_font, 7.5F, c_route - kLeft - 6), person_font, 7.5F);
    w.Text(c_route, w.y_, w.Fit(RouteLabel(Str(line, "route")), w.regular_, 7.5F, c_employer - c_route - 6), w.regular_,
           7.5F);
    w.Text(c_employer, w.y_, w.Fit(Str(line, "employer"), w.regular_, 7.5F, c_period - c_employer - 45), w.regular_,
           7.5F);
    w.RightText(c_period, w.y_, FrenchHours(Str(line, "hours")), w.regular_, 8);
    w.RightText(c_cumul, w.y_, FrenchHours(Str(line, "to_date_hours")), w.regular_, 8);
  }

  w.Heading("Heures par parcours");
  w.y_ -= 12;
  w.Text(kLeft, w.y_, "Parcours", w.bold_, 8.5F);
  w.RightText(c_period, w.y_, whole ? "Heures" : "Mois", w.bold_, 8.5F);
  w.RightText(c_cumul, w.y_, "Cumul", w.bold_, 8.5F);
  w.y_ -= 3;
  w.Line(w.y_);
  for (const auto& r : doc.at("by_route")) {
    w.Need(14);
    w.y_ -= 12;
    w.Text(kLeft, w.y_, RouteLabel(Str(r, "route")), w.regular_, 8.5F);
    w.RightText(c_period, w.y_, FrenchHours(Str(r, "hours")), w.regular_, 8.5F);
    w.RightText(c_cumul, w.y_, FrenchHours(Str(r, "to_date_hours")), w.regular_, 8.5F);
  }

  w.Heading("Heures par mois");
  // Months in columns of four (a whole contract may span years).
  const auto& months = doc.at("by_month");
  constexpr int kColumns = 4;
  const float column_width = (kRight - kLeft) / kColumns;
  for (std::size_t i = 0; i < months.size(); i += kColumns) {
    w.Need(14);
    w.y_ -= 12;
    for (std::size_t j = i; j < months.size() && j < i + kColumns; ++j) {
      const float x = kLeft + static_cast<float>(j - i) * column_width;
      w.Text(x, w.y_, FrenchMonth(Str(months[j], "month")), w.regular_, 8.5F);
      w.RightText(x + column_width - 12, w.y_, FrenchHours(Str(months[j], "hours")), w.regular_, 8.5F);
    }
  }

  // Date and a place for the handwritten signature.
  w.Need(130);
  w.y_ -= 26;
  w.Text(kLeft, w.y_, "Fait le " + FrenchDate(Str(doc, "issued_on")) + ", pour " + Str(issuer, "org") + ".", w.regular_,
         9.5F);
  w.y_ -= 14;
  w.Text(kLeft, w.y_, "Nom, qualité et signature du facilitateur :", w.regular_, 9.5F);
  w.Text(kLeft + 260, w.y_, "Cachet de l'organisation :", w.regular_, 9.5F);
  w.Box(kLeft, w.y_ - 78, 240, 70);
  w.Box(kLeft + 260, w.y_ - 78, kRight - kLeft - 260, 70);
  w.y_ -= 84;

  // The electronic signature.
  w.Need(80);
  w.Heading("Signature électronique");
  const std::string sig(signature);
  const std::string key(public_key);
  w.y_ -= 11;
  w.Text(kLeft, w.y_,
         "Ed25519 (libsodium) par " + Str(issuer, "org") + ", clé " + Str(issuer, "key_id") +
             ", sur le document JSON canonique des chiffres ci-dessus.",
         w.regular_, 7.5F);
  w.y_ -= 11;
  w.Text(kLeft, w.y_, "Clé publique : " + key, w.mono_, 7);
  w.y_ -= 10;
  w.Text(kLeft, w.y_, "Signature : " + sig.substr(0, 60), w.mono_, 7);
  w.y_ -= 9;
  w.Text(kLeft + 51, w.y_, sig.size() > 60 ? sig.substr(60) : "", w.mono_, 7);
  w.y_ -= 11;
  w.Text(kLeft, w.y_,
         "Vérification : clausematch attestation verify <fichier.pdf> (le document et la signature sont dans les "
         "métadonnées du PDF).",
         w.regular_, 7.5F);

  // Page numbers, once the count is known.
  const int pages = w.pages_;
  for (int i = 0; i < pages; ++i) {
    HPDF_Page page = HPDF_GetPageByIndex(w.doc(), static_cast<HPDF_UINT>(i));
    w.page_ = page;
    const std::string footer = "Attestation " + Str(contract, "reference") + " — " + (whole ? "marché" : period) +
                               " — page " + std::to_string(i + 1) + "/" + std::to_string(pages);
    w.RightText(kRight, 35, footer, w.regular_, 7.5F);
  }
  return w.Save();
}

std::optional<EmbeddedAttestation> ReadEmbedded(std::string_view pdf) {
  // The Info strings are PDF literal strings "(...)" of base64 text.
  auto after = [&](std::string_view tag) -> std::optional<std::string> {
    const auto at = pdf.find(tag);
    if (at == std::string_view::npos) return std::nullopt;
    return Unescaped(pdf.substr(at + tag.size()));
  };
  const auto doc = after(kDocTag);
  const auto sig = after(kSigTag);
  if (!doc || !sig) return std::nullopt;
  const auto split = sig->find(kKeyTag);
  if (split == std::string_view::npos) return std::nullopt;
  const auto canonical = service::FromBase64(*doc);
  if (!canonical) return std::nullopt;
  EmbeddedAttestation e;
  e.canonical.assign(canonical->begin(), canonical->end());
  e.signature = std::string(sig->substr(0, split));
  e.public_key = std::string(sig->substr(split + kKeyTag.size()));
  return e;
}

}  // namespace clausematch::api::pdf
