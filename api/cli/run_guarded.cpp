#include "api/cli/run_guarded.hpp"

#include <iostream>

#include "api/cli/commands.hpp"
#include "data/binary_io.hpp"
#include "data/csv_reader.hpp"
#include "service/error.hpp"

namespace clausematch::api::cli {

int RunGuarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    std::cerr << "clausematch: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const data::CsvError& e) {
    std::cerr << "clausematch: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const data::BinaryFormatError& e) {  // a corrupt or foreign dataset.bin
    std::cerr << "clausematch: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const service::Error& e) {  // the service layer's refusal, the same as over HTTP
    std::cerr << "clausematch: " << e.what() << '\n';
    for (const auto& p : e.problems()) std::cerr << "  " << p.field << ": " << p.message << '\n';
    return e.kind() == service::ErrorKind::kUnavailable ? kExitFailure : kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "clausematch: error: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace clausematch::api::cli
