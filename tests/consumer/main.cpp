#include <jitbf/jitbf.hpp>
#include <cstdio>
int main() {
    auto prog = jitbf::compile("++++++++[>++++++++<-]>+.+.+.");  // parse, optimize, compile
    if (!prog) return 2;                                           // errors have positions
    std::string text;
    auto in = jitbf::Input::none();
    auto out = jitbf::Output::memory(&text);
    jitbf::RunOutcome r = prog->run(in, out);                      // runs as often as you like
    std::printf("%s %s\n", text.c_str(), r.ok() ? "ok" : r.error.message.c_str());
}
