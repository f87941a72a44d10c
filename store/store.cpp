// The store target exists from day one so the dependency edges are real; repositories land with
// the API issue.
namespace clausematch::store {}
