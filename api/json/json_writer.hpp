#pragma once
// Two ways to write one JSON shape, with the same calls (BeginObject, Key, Value, EndObject...), so
// that a rendering is defined once, as a template over the writer (batch_json.cpp):
// - JsonDom builds an nlohmann::json (HTTP bodies, stored details, small files);
// - JsonText appends the text straight to a string, pretty-printed as nlohmann::json::dump(2)
//   prints it, starting at a given indentation. assignments.json holds tens of thousands of
//   proposals (40,195 on the region, 78 MB), each of which was built as a tree of maps (an
//   allocation per node), dumped and re-indented only to get its text (bench/README.md, "Writing
//   the proposals", for what it changed).
// JsonText writes object members in the order they are given, where nlohmann::json orders them by
// key: a rendering that is to read the same through both gives its keys in sorted order, and then
// the text is byte for byte what dump(2) prints of the tree (numbers through nlohmann's own
// formatting, null for NaN and infinities; strings escaped as dump() escapes them, UTF-8 as is).
#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clausematch::api::json {

class JsonText {
 public:
  // Appends to `out`; the first value is written where `out` ends, nested lines start at `indent`
  // spaces plus two per level.
  explicit JsonText(std::string& out, int indent = 0) : out_(out), indent_(indent) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Separate();
    Quoted(key);
    out_ += ": ";
  }
  template <typename T>
  void Member(std::string_view key, T&& value) {
    Key(key);
    Value(std::forward<T>(value));
  }
  void Value(std::string_view s) {
    Item();
    Quoted(s);
  }
  void Value(const char* s) { Value(std::string_view(s)); }
  void Value(const std::string& s) { Value(std::string_view(s)); }
  void Value(bool b) {
    Item();
    out_ += b ? "true" : "false";
  }
  void Value(std::nullptr_t) {
    Item();
    out_ += "null";
  }
  void Value(double v) {
    Item();
    if (!std::isfinite(v)) {
      out_ += "null";
      return;
    }
    // nlohmann::json's own formatting (what dump() calls), so that both writers print a number alike.
    std::array<char, 64> buf{};
    const char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), v);
    out_.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
  }
  template <std::integral I>  // bool takes Value(bool), an exact match
  void Value(I v) {
    Item();
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, static_cast<std::size_t>(end - buf));
  }

 private:
  struct Level {
    bool object = false;
    std::size_t items = 0;
  };
  void Open(char c) {
    Item();
    out_ += c;
    levels_.push_back({c == '{', 0});
  }
  void Close(char c) {
    const bool empty = levels_.back().items == 0;
    levels_.pop_back();
    if (!empty) {
      out_ += '\n';
      Spaces(levels_.size());
    }
    out_ += c;
  }
  // Before a member's key: the comma, the line break and the indentation.
  void Separate() {
    Level& level = levels_.back();
    out_ += level.items++ == 0 ? "\n" : ",\n";
    Spaces(levels_.size());
  }
  // Before a value: in an array it starts its own line; in an object its key did that.
  void Item() {
    if (!levels_.empty() && !levels_.back().object) Separate();
  }
  void Spaces(std::size_t depth) { out_.append(static_cast<std::size_t>(indent_) + 2 * depth, ' '); }
  void Quoted(std::string_view s) {
    out_ += '"';
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out_ += "\\u00";
            out_ += kHex[c >> 4];
            out_ += kHex[c & 0xf];
          } else {
            out_ += ch;  // UTF-8 passes through, as dump() without ensure_ascii
          }
      }
    }
    out_ += '"';
  }

  std::string& out_;
  int indent_ = 0;
  std::vector<Level> levels_;
};

class JsonDom {
 public:
  void BeginObject() { Open(nlohmann::json::object()); }
  void EndObject() { open_.pop_back(); }
  void BeginArray() { Open(nlohmann::json::array()); }
  void EndArray() { open_.pop_back(); }
  void Key(std::string_view key) { key_ = key; }
  template <typename T>
  void Member(std::string_view key, T&& value) {
    Key(key);
    Value(std::forward<T>(value));
  }
  template <typename T>
  void Value(T&& v) {
    Put(nlohmann::json(std::forward<T>(v)));
  }
  // The value written (once every object and array is closed).
  nlohmann::json Take() { return std::move(root_); }

 private:
  nlohmann::json& Put(nlohmann::json v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    nlohmann::json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return parent.back();
    }
    return parent[key_] = std::move(v);
  }
  void Open(nlohmann::json empty) { open_.push_back(&Put(std::move(empty))); }

  nlohmann::json root_;
  std::vector<nlohmann::json*> open_;
  std::string key_;
};

}  // namespace clausematch::api::json
