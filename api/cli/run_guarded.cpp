#include "api/cli/run_guarded.hpp"

#include <iostream>

#include "api/cli/commands.hpp"
#include "data/binary_io.hpp"
#include "data/csv_reader.hpp"

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
  } catch (const std::exception& e) {
    std::cerr << "clausematch: error: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace clausematch::api::cli
