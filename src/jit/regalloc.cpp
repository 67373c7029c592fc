// The register plan (see regalloc.hpp): find the regions, then, in each, the cells' homes,
// their load and store points, and a register for each by linear scan.
#include "regalloc.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_map>

#include "shape.hpp"

namespace jitbf::jit {

namespace {

// Offsets whose displacement fits an instruction at every cell width, far beyond real ones.
constexpr std::int64_t kNearCells = std::int64_t{1} << 24;

bool near(const Instr& in) {
    auto ok = [](std::int64_t off) { return off > -kNearCells && off < kNearCells; };
    return ok(in.off) && ok(in.src);
}

// For each opening bracket: 1 when its body is clean (every op in it stays).
std::vector<char> clean_bodies(const std::vector<Instr>& code) {
    std::vector<char> clean(code.size(), 0);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Instr& in = code[i];
        if (opens(in.op)) {
            clean[i] = stays_in_region(in);
            open.push_back(i);
        } else if (closes(in.op)) {
            const std::size_t b = open.back();
            open.pop_back();
            if (!stays_in_region(in)) clean[b] = 0;
            if (!clean[b] && !open.empty()) clean[open.back()] = 0;
        } else if (!stays_in_region(in) && !open.empty()) {
            clean[open.back()] = 0;
        }
    }
    return clean;
}

enum class Kind : std::uint8_t { Root, If, Loop };

struct Scope {
    Kind kind;
    std::size_t parent;  // kNoIndex for the root
    std::size_t open, close;
    std::size_t level;  // in the tree: the root is 0
    std::size_t loops;  // loop scopes from the root to this one, itself included
    std::size_t loop;   // the innermost loop scope, itself included (kNoIndex: none)
};

struct Use {
    std::int64_t cell;
    std::size_t op;
    std::size_t scope;
    Access access;
};

struct Cell {
    std::size_t first;  // index of its first use
    std::size_t home;
    std::int64_t cost = 0;  // of its uses in memory: loads and stores, a loop's eight times
    bool written = false;
};

// Memory accesses of one use: a load, a store, or both.
std::int64_t accesses(Access a) { return a == Access::ReadWrite ? 2 : 1; }

// How often code at this loop depth runs, against code outside loops (a guess: 8 per loop).
std::int64_t frequency(std::size_t loops) {
    return std::int64_t{1} << (3 * std::min<std::size_t>(loops, 3));
}

std::size_t common_scope(const std::vector<Scope>& scopes, std::size_t a, std::size_t b) {
    while (scopes[a].level > scopes[b].level) a = scopes[a].parent;
    while (scopes[b].level > scopes[a].level) b = scopes[b].parent;
    while (a != b) {
        a = scopes[a].parent;
        b = scopes[b].parent;
    }
    return a;
}

class RegionPlanner {
public:
    RegionPlanner(const Program& prog, int bits, std::size_t registers)
        : prog_(prog), bits_(bits), registers_(registers) {}

    Region plan(std::size_t begin, std::size_t end) {
        Region r;
        r.begin = begin;
        r.end = end;
        scopes_.assign(1, Scope{Kind::Root, kNoIndex, begin, end, 0, 0, kNoIndex});
        uses_.clear();
        collect(r);
        std::vector<Slot> candidates;
        std::vector<std::int64_t> gains;
        for (const Cell& c : cells_) {
            const Slot s = slot_for(c, end);
            // In a register: a load where its home starts, a store where it ends, each as
            // often as the home runs.
            const std::size_t home = home_of(c);
            const std::size_t loops = scopes_[home].loops - (scopes_[home].kind == Kind::Loop);
            const std::int64_t gain =
                c.cost - ((s.load ? 1 : 0) + (s.written ? 1 : 0)) * frequency(loops);
            if (gain <= 0) continue;
            candidates.push_back(s);
            gains.push_back(gain);
        }
        r.slots = allocate(std::move(candidates), gains);
        return r;
    }

private:
    void collect(Region& r) {
        std::unordered_map<std::int64_t, std::size_t> index;
        cells_.clear();
        std::vector<std::size_t> stack = {0};
        std::vector<bool> flat;  // per open if: runs without a branch (no scope of its own)
        auto use = [&](std::int64_t cell, std::size_t op, Access access) {
            const std::size_t scope = stack.back();
            r.extent.add(cell);
            const auto [it, added] = index.try_emplace(cell, cells_.size());
            if (added) cells_.push_back(Cell{uses_.size(), scope});
            Cell& c = cells_[it->second];
            c.home = common_scope(scopes_, c.home, scope);
            c.cost += accesses(access) * frequency(scopes_[scope].loops);
            c.written = c.written || access == Access::Write || access == Access::ReadWrite;
            uses_.push_back(Use{cell, op, scope, access});
        };
        auto enter = [&](Kind kind, std::size_t open) {
            const Scope& parent = scopes_[stack.back()];
            const std::size_t id = scopes_.size();
            const std::size_t loops = parent.loops + (kind == Kind::Loop ? 1 : 0);
            scopes_.push_back(
                Scope{kind, stack.back(), open, static_cast<std::size_t>(prog_.code[open].arg),
                      parent.level + 1, loops, kind == Kind::Loop ? id : parent.loop});
            stack.push_back(id);
        };
        for (std::size_t j = r.begin; j < r.end; ++j) {
            const Instr& in = prog_.code[j];
            switch (in.op) {
            case Op::Add: use(in.off, j, Access::ReadWrite); break;
            case Op::Set: use(in.off, j, Access::Write); break;
            case Op::MulAdd:
                use(in.src, j, Access::Read);
                use(in.off, j, Access::ReadWrite);
                break;
            case Op::Check: r.extent.add(in.off); break;
            case Op::LoopBegin:
                enter(Kind::Loop, j);
                use(in.off, j, Access::Read);
                break;
            case Op::LoopEnd:
                use(in.off, j, Access::Read);
                stack.pop_back();
                break;
            case Op::IfBegin:
                flat.push_back(branch_free_cells(prog_, j, bits_).has_value());
                if (flat.back()) {
                    r.extent.add(in.off);  // its body touches the cell first
                } else {
                    use(in.off, j, Access::Read);
                    enter(Kind::If, j);
                }
                break;
            case Op::IfEnd:
                if (!flat.back()) stack.pop_back();
                flat.pop_back();
                break;
            default: assert(!stays_in_region(in) && "no region holds it"); break;
            }
        }
    }

    // The scope where the cell lives in a register: the innermost loop around its uses, if
    // any, else the innermost scope around them.
    std::size_t home_of(const Cell& c) const {
        const std::size_t loop = scopes_[c.home].loop;
        return loop != kNoIndex ? loop : c.home;
    }

    Slot slot_for(Cell c, std::size_t region_end) const {
        c.home = home_of(c);
        const Scope& home = scopes_[c.home];
        Slot s;
        s.cell = uses_[c.first].cell;
        s.written = c.written;
        switch (home.kind) {
        case Kind::Root: s.store_before = region_end; break;
        case Kind::If: s.store_before = home.close; break;
        case Kind::Loop: s.store_before = home.close + 1; break;
        }
        if (home.kind == Kind::Loop) {
            s.load_before = home.open;  // the loop may not run: its stores need the value
            return s;
        }
        // The item of the home that holds the first use.
        const Use& first = uses_[c.first];
        if (first.scope == c.home) {
            s.load_before = first.op;
            s.load = first.access != Access::Write;
        } else {
            std::size_t child = first.scope;
            while (scopes_[child].parent != c.home) child = scopes_[child].parent;
            s.load_before = scopes_[child].open;
        }
        return s;
    }

    // Linear scan over intervals [load_before, store_before), which nest or are disjoint; when
    // the registers run out the lightest cell of all stays in memory for its whole home.
    std::vector<Slot> allocate(std::vector<Slot> slots, const std::vector<std::int64_t>& gains) {
        std::vector<std::size_t> order(slots.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (slots[a].load_before != slots[b].load_before)
                return slots[a].load_before < slots[b].load_before;
            if (slots[a].store_before != slots[b].store_before)
                return slots[a].store_before > slots[b].store_before;
            return slots[a].cell < slots[b].cell;
        });
        std::vector<std::size_t> active;  // slot indices holding a register
        std::vector<bool> kept(slots.size(), false);
        std::vector<bool> busy(registers_, false);
        for (std::size_t k : order) {
            std::erase_if(active, [&](std::size_t a) {
                if (slots[a].store_before > slots[k].load_before) return false;
                busy[slots[a].reg] = false;
                return true;
            });
            const auto free = std::find(busy.begin(), busy.end(), false);
            if (free != busy.end()) {
                slots[k].reg = static_cast<std::size_t>(free - busy.begin());
            } else {
                if (active.empty()) continue;  // no registers at all
                const auto lightest = std::min_element(
                    active.begin(), active.end(),
                    [&](std::size_t a, std::size_t b) { return gains[a] < gains[b]; });
                if (gains[*lightest] >= gains[k]) continue;
                slots[k].reg = slots[*lightest].reg;
                kept[*lightest] = false;
                active.erase(lightest);
            }
            busy[slots[k].reg] = true;
            kept[k] = true;
            active.push_back(k);
        }
        std::vector<Slot> out;
        for (std::size_t k : order)
            if (kept[k]) out.push_back(slots[k]);
        return out;
    }

    const Program& prog_;
    const int bits_;
    const std::size_t registers_;
    std::vector<Scope> scopes_;
    std::vector<Use> uses_;
    std::vector<Cell> cells_;
};

}  // namespace

bool stays_in_region(const Instr& in) {
    const bool known = in.op == Op::Add || in.op == Op::Set || in.op == Op::MulAdd ||
                       in.op == Op::Check || opens(in.op) || closes(in.op);
    return known && near(in);
}

std::vector<Region> plan_registers(const Program& prog, int bits, std::size_t registers) {
    const std::vector<Instr>& code = prog.code;
    const std::vector<char> clean = clean_bodies(code);
    RegionPlanner planner(prog, bits, registers);
    std::vector<Region> regions;
    auto flush = [&](std::size_t begin, std::size_t end) {
        if (begin == kNoIndex) return;
        Region r = planner.plan(begin, end);
        if (!r.slots.empty()) regions.push_back(std::move(r));
    };
    std::size_t start = kNoIndex;
    for (std::size_t i = 0; i < code.size();) {
        const Instr& in = code[i];
        bool item = false;
        std::size_t after = i + 1;  // the op after this item
        if (opens(in.op)) {
            const auto partner = static_cast<std::size_t>(in.arg);
            item = clean[i] && partner - i < kMaxRegionOps;
            if (item) after = partner + 1;
        } else if (!closes(in.op)) {
            item = stays_in_region(in);
        }
        if (item && start != kNoIndex && after - start > kMaxRegionOps) {
            flush(start, i);
            start = kNoIndex;
        }
        if (item && start == kNoIndex) start = i;
        if (!item) {
            flush(start, i);
            start = kNoIndex;
        }
        i = after;
    }
    flush(start, code.size());
    return regions;
}

}  // namespace jitbf::jit
