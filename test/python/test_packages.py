"""Every Debian package the build, the demo and the tests use is in utils/setup.sh.

The README's two commands must work on a fresh Debian 12 root, where only the
Essential packages and apt are installed: whatever else they use must be in the
packages=(...) list of utils/setup.sh, which installs what is missing. This
test scans the repository for what it uses and maps each item to the Debian
package that brings it, through the explicit tables below:

- Python imports (ast) of every Python file and of the Markdown files' python
  blocks, the modules run with ``python3 -m``, and conf.py's Sphinx
  extensions: PYTHON_MODULES;
- the commands of the shell scripts and of the Markdown files' sh blocks, of
  CMake's COMMAND arguments and of subprocess calls with a literal program
  name: TOOLS;
- the find_package() calls of the CMake files: CMAKE_PACKAGES;
- the headers and libraries that Debian's ns-3 CMake config names (libns3-dev
  does not depend on all of them): NS3_CONFIG_PATHS.

Anything not in a table fails with a message saying where to add it; a package
named by a table but missing from setup.sh's list fails too. Run by CTest as
"divert-packages"; on its own: python3 -m pytest test/python/test_packages.py
"""

import ast
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETUP = "utils/setup.sh"
FRESH_ROOT = "utils/fresh-root.sh"
HERE = "test/python/test_packages.py"

# What a fresh root of `mmdebstrap --variant=apt` has: the Essential packages
# and apt. Checked against dpkg's Essential field where dpkg is there.
BASE = "base"
BASE_NON_ESSENTIAL = {"apt"}

# Python modules outside the standard library -> Debian package.
PYTHON_MODULES = {
    "matplotlib": "python3-matplotlib",
    "pytest": "python3-pytest",
    "scapy": "python3-scapy",
    "sphinx": "python3-sphinx",
}

# Commands -> Debian package (BASE: in every fresh root). A tuple
# (package, files, reason) allows the command only in those files, with a
# package that setup.sh need not install.
TOOLS = {
    "apt-config": BASE,
    "apt-get": BASE,
    "bash": BASE,
    "basename": BASE,
    "cat": BASE,
    "chmod": BASE,
    "chroot": BASE,
    "cmake": "cmake",
    "cp": BASE,
    "ctest": "cmake",
    "cut": BASE,
    "date": BASE,
    "diff": BASE,
    "dirname": BASE,
    "doxygen": "doxygen",
    "dpkg-query": BASE,
    "du": BASE,
    "env": BASE,
    "find": BASE,
    "findmnt": BASE,
    "grep": BASE,
    "head": BASE,
    "id": BASE,
    "ln": BASE,
    "ls": BASE,
    "mkdir": BASE,
    "mktemp": BASE,
    "mountpoint": BASE,
    "mv": BASE,
    "nproc": BASE,
    "python3": "python3-dev",  # /usr/bin/python3 comes with python3-dev
    "rm": BASE,
    "sed": BASE,
    "sort": BASE,
    "sphinx-build": "python3-sphinx",
    "tail": BASE,
    "tar": BASE,
    "tee": BASE,
    "touch": BASE,
    "tr": BASE,
    "tshark": "tshark",
    "uniq": BASE,
    "wc": BASE,
    # The host side of utils/fresh-root.sh, which installs them itself
    # (host_packages=(...)); nothing runs them inside the fresh root.
    "git": ("git", [FRESH_ROOT], "host side of the fresh-root check"),
    "mmdebstrap": ("mmdebstrap", [FRESH_ROOT], "host side of the fresh-root check"),
    "mount": ("mount", [FRESH_ROOT], "host side of the fresh-root check"),
    "umount": ("mount", [FRESH_ROOT], "host side of the fresh-root check"),
    # Only for in-tree builds with --mpi, against an ns-3 source tree configured
    # with MPI: never run by the README's commands.
    "mpirun": ("openmpi-bin", ["utils/in-tree.sh"], "in-tree.sh --mpi only"),
}

# find_package(<name>) -> Debian package.
CMAKE_PACKAGES = {
    "Boost": "libboost-test-dev",
    "ns3": "libns3-dev",
    "pybind11": "pybind11-dev",
    "Python3": "python3-dev",
}

# Paths in Debian's ns-3 CMake config (/usr/lib/<arch>/cmake/ns3) -> package.
NS3_CONFIG_PATHS = [
    (r"/usr", BASE),
    (r"/usr/include", BASE),
    (r"/usr/include/libxml2", "libxml2-dev"),
    (r"/usr/include/python3\.\d+", "python3-dev"),
    (r"/usr/lib\.?", BASE),
    (r"/usr/lib/[^/]+/cmake/ns3", "libns3-dev"),
    (r"/usr/lib/[^/]+/libgsl\.so", "libgsl-dev"),
    (r"/usr/lib/[^/]+/libgslcblas\.so", "libgsl-dev"),
    (r"/usr/lib/[^/]+/libsqlite3\.so", "libsqlite3-dev"),
    (r"/usr/lib/[^/]+/libxml2\.so", "libxml2-dev"),
]

SHELL_BUILTINS = {
    "!", ".", ":", "[", "break", "case", "cd", "command", "continue", "declare", "do", "done",
    "echo", "elif", "else", "esac", "eval", "exec", "exit", "export", "false", "fi", "for",
    "function", "if", "in", "kill", "local", "mapfile", "printf", "pwd", "read", "readarray",
    "return", "set", "shift", "source", "test", "then", "time", "trap", "true", "type",
    "ulimit", "umask", "unset", "until", "wait", "while",
}
# Words after which the next word is a command again.
SHELL_PREFIXES = {"!", "if", "then", "else", "elif", "do", "while", "until", "time", "exec",
                  "command", "env", "sudo", "nice", "timeout", "xargs", "chroot"}


def repo_files():
    """Paths (relative to ROOT) of the repository's files, build trees left out."""
    out = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in (".git", "__pycache__")
            and not os.path.exists(os.path.join(dirpath, d, "CMakeCache.txt"))
        )
        for f in sorted(filenames):
            out.append(os.path.relpath(os.path.join(dirpath, f), ROOT))
    return out


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
        return f.read()


def is_shell(rel):
    if rel.endswith(".sh") or rel == ".ci/run":
        return True
    first = read(rel).split("\n", 1)[0] if os.path.getsize(os.path.join(ROOT, rel)) else ""
    return first.startswith("#!") and ("bash" in first or first.endswith("/sh"))


def is_python(rel):
    if rel.endswith(".py") or os.path.basename(rel) == "wscript":
        return True
    first = read(rel).split("\n", 1)[0] if os.path.getsize(os.path.join(ROOT, rel)) else ""
    return first.startswith("#!") and "python" in first


def is_cmake(rel):
    return os.path.basename(rel) == "CMakeLists.txt" or rel.endswith(".cmake")


def bash_array(rel, name):
    """The words of a bash array assignment name=(...) in a file."""
    m = re.search(r"^" + name + r"=\((.*?)\)", read(rel), re.S | re.M)
    assert m, f"{rel} has no {name}=(...) list"
    words = []
    for line in m.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return set(words)


# --- Python -----------------------------------------------------------------------


def local_python_names(files):
    """Modules the repository itself provides: its .py files, packages, extensions."""
    names = set()
    for rel in files:
        if rel.endswith(".py"):
            names.add(os.path.splitext(os.path.basename(rel))[0])
            if os.path.basename(rel) == "__init__.py":
                names.add(os.path.basename(os.path.dirname(rel)))
        if is_cmake(rel):
            names.update(re.findall(r"pybind11_add_module\(\s*(\w+)", read(rel)))
    return names


def markdown_blocks(rel, languages):
    """The code blocks of a Markdown file in the given languages."""
    langs = "|".join(languages)
    return re.findall(r"^```(?:" + langs + r")\n(.*?)^```", read(rel), re.S | re.M)


def python_imports(rel, text=None):
    """Top-level module names a Python file imports (absolute imports only)."""
    tree = ast.parse(read(rel) if text is None else text, rel)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            # importlib.import_module("x") / __import__("x")
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if fname in ("import_module", "__import__") and node.args and \
                    isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                names.add(node.args[0].value.split(".")[0])
    if os.path.basename(rel) == "conf.py":  # Sphinx extensions are imports too
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", "") == "extensions" for t in node.targets):
                for elt in getattr(node.value, "elts", []):
                    if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                        names.add(elt.value.split(".")[0])
    return names


def python_programs(rel):
    """Program names of subprocess calls and shutil.which() with a literal name."""
    tree = ast.parse(read(rel), rel)
    progs = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if not (node.args and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)):
            continue
        fname = f"{f.value.id}.{f.attr}"
        arg = node.args[0]
        if fname in ("subprocess.run", "subprocess.Popen", "subprocess.call",
                     "subprocess.check_call", "subprocess.check_output"):
            if isinstance(arg, (ast.List, ast.Tuple)) and arg.elts:
                arg = arg.elts[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                progs.add(os.path.basename(arg.value.split()[0]))
        elif fname == "shutil.which" and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            progs.add(arg.value)
    return progs


def python_m_modules(text):
    """Modules run as `python3 -m module` (also ${Python3_EXECUTABLE} -m)."""
    return set(re.findall(r"(?:python3[\w.]*|Python3_EXECUTABLE\}|executable)\"?\s+-m\s+([A-Za-z_]\w*)",
                          text))


# --- shell ------------------------------------------------------------------------


def shell_commands(text):
    """The command words of a bash script: a small quote-aware scanner.

    A word is a command at the start of a line, after | & ; ( { ` $( and after
    the words of SHELL_PREFIXES; leading VAR=value assignments are skipped, and
    a word that starts with $ (a command in a variable) passes the position on.
    Names of functions the script defines are left out."""
    cmds, functions = set(), set()
    i, n = 0, len(text)
    at_command = True
    # contexts: '"' inside double quotes ('"=' the value of an assignment, after
    # which a command may still come), '(' inside $( ... ), 'a' inside the
    # words of an array assignment a=( ... )
    stack = []
    while i < n:
        c = text[i]
        in_dq = bool(stack) and stack[-1].startswith('"')
        if c == "\\":
            i += 2
            continue
        if in_dq:
            if c == '"':
                at_command = stack.pop() == '"='
            elif text.startswith("$(", i) and not text.startswith("$((", i):
                stack.append("(")
                at_command = True
                i += 2
                continue
            i += 1
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == "\n":
            at_command = True
            i += 1
            continue
        if c in " \t":
            i += 1
            continue
        if text.startswith("$((", i) or text.startswith("((", i):
            # arithmetic: skip to the matching ))
            depth, i = 0, i + (text[i] == "$")
            while i < n:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
                if depth == 0:
                    break
            at_command = False
            continue
        if text.startswith("$(", i):
            stack.append("(")
            at_command = True
            i += 2
            continue
        if c == ")":
            if stack and stack[-1] in "(a":
                stack.pop()
            at_command = False
            i += 1
            continue
        if c in "|&;({`":
            at_command = True
            i += 1
            continue
        if c == '"':
            stack.append('"=' if text[i - 1] == "=" else '"')
            at_command = False
            i += 1
            continue
        if c == "'":
            j = text.find("'", i + 1)
            at_command = text[i - 1] == "=" and at_command
            i = n if j < 0 else j + 1
            continue
        # a word
        j = i
        while j < n and text[j] not in " \t\n|&;()`\"'<>" and not text.startswith("$(", j):
            j += 1
        word = text[i:j]
        if not word:  # < or >
            i += 1
            at_command = False
            continue
        if at_command and stack and stack[-1] == "a":
            at_command = False
        if at_command:
            if text.startswith("()", j) or text.startswith(" ()", j):
                functions.add(word)
                at_command = False
            elif re.match(r"^[A-Za-z_]\w*(\[[^]]*\])?\+?=", word):
                if text.startswith("(", j):  # array assignment: its words are no commands
                    stack.append("a")
                    j += 1
                at_command = True
            elif word.startswith("$") or word.startswith("-"):
                # a command in a variable, or an option of a prefix (env -i)
                at_command = True
            elif word in SHELL_PREFIXES:
                cmds.add(word)
                at_command = True
            else:
                if re.match(r"^[A-Za-z/][\w./+-]*$", word):
                    cmds.add(word)
                at_command = False
        i = j
    return {os.path.basename(c) for c in cmds if c not in functions} - SHELL_BUILTINS


def cmake_commands(text):
    """Program words of COMMAND arguments in CMake (variables left out)."""
    text = re.sub(r"#.*", "", text)
    progs = set()
    for m in re.finditer(r"(?<!\()\bCOMMAND\s+([^\s)]+)", text):  # not if(COMMAND x)
        word = m.group(1).strip('"')
        if not word.startswith("$"):
            progs.add(os.path.basename(word))
    return progs


def cmake_find_packages(text):
    text = re.sub(r"#.*", "", text)
    return set(re.findall(r"\bfind_(?:package|dependency)\(\s*([\w-]+)", text))


def own_programs(files, text_of_cmake):
    """Programs the project builds: the stems of its .cc files and its targets."""
    names = {os.path.splitext(os.path.basename(r))[0] for r in files if r.endswith(".cc")}
    names.update(re.findall(r"add_executable\(\s*([\w-]+)", text_of_cmake))
    return names


# --- the scan ------------------------------------------------------------------------


def scan():
    """{kind: {name: set of files}} for what the repository uses."""
    files = repo_files()
    used = {"python": {}, "tool": {}, "cmake": {}}

    def note(kind, name, rel):
        used[kind].setdefault(name, set()).add(rel)

    local = local_python_names(files)
    stdlib = set(sys.stdlib_module_names)
    all_cmake = "".join(read(r) for r in files if is_cmake(r))
    own = own_programs(files, all_cmake)
    for rel in files:
        if is_python(rel):
            for mod in python_imports(rel) - local - stdlib:
                note("python", mod, rel)
            for prog in python_programs(rel) - own:
                note("tool", prog, rel)
        if rel.endswith(".md"):  # what a reader runs, and what tests run of it
            for block in markdown_blocks(rel, ["python", "py"]):
                for mod in python_imports(rel, block) - local - stdlib:
                    note("python", mod, rel)
            for block in markdown_blocks(rel, ["sh", "bash", "shell", "console"]):
                for cmd in shell_commands(block) - own:
                    note("tool", cmd, rel)
                for mod in python_m_modules(block) - local - stdlib:
                    note("python", mod, rel)
        if is_shell(rel):
            text = read(rel)
            for cmd in shell_commands(text) - own:
                note("tool", cmd, rel)
            for mod in python_m_modules(text) - local - stdlib:
                note("python", mod, rel)
        if is_cmake(rel):
            text = read(rel)
            for prog in cmake_commands(text) - own:
                note("tool", prog, rel)
            for mod in python_m_modules(text) - local - stdlib:
                note("python", mod, rel)
            for pkg in cmake_find_packages(text):
                if pkg != "ns3-divert":  # the module itself, installed by the test
                    note("cmake", pkg, rel)
    return used


USED = scan()
LISTED = bash_array(SETUP, "packages")


def required(table, kind, what):
    """(package -> [names]) needed in setup.sh's list, and the failures found."""
    need, errors = {}, []
    for name, files in sorted(USED[kind].items()):
        where = ", ".join(sorted(files))
        if name not in table:
            errors.append(f"{what} '{name}' ({where}) is not in {HERE}: add it to the table "
                          f"with the Debian package that brings it, and add that package to "
                          f"packages=(...) in {SETUP}")
            continue
        entry = table[name]
        if isinstance(entry, tuple):
            pkg, allowed, reason = entry
            outside = sorted(set(files) - set(allowed))
            if outside:
                errors.append(f"{what} '{name}' is used in {', '.join(outside)}, but {HERE} "
                              f"allows it only in {', '.join(allowed)} ({reason}): give it a "
                              f"package that {SETUP} installs")
            elif FRESH_ROOT in allowed and pkg not in host_packages():
                errors.append(f"{what} '{name}': {pkg} is not in host_packages=(...) of "
                              f"{FRESH_ROOT}")
            continue
        if entry != BASE:
            need.setdefault(entry, []).append(name)
    return need, errors


def host_packages():
    if not os.path.exists(os.path.join(ROOT, FRESH_ROOT)):
        return set()
    return bash_array(FRESH_ROOT, "host_packages")


def check(table, kind, what):
    need, errors = required(table, kind, what)
    for pkg, names in sorted(need.items()):
        if pkg not in LISTED:
            errors.append(f"{what} {', '.join(names)} needs the Debian package {pkg}, "
                          f"which is not in packages=(...) of {SETUP}")
    assert not errors, "\n".join(errors)


def test_scanner_finds_what_is_known_to_be_used():
    # If the scanner broke and found nothing, every other test would pass.
    assert {"pytest", "scapy", "matplotlib"} <= set(USED["python"])
    assert {"tshark", "doxygen", "sphinx-build", "cmake", "ctest"} <= set(USED["tool"])
    assert {"ns3", "Boost", "pybind11", "Python3"} <= set(USED["cmake"])


def test_python_imports_are_installed_by_setup():
    check(PYTHON_MODULES, "python", "Python module")


def test_tools_are_installed_by_setup():
    check(TOOLS, "tool", "command")


def test_cmake_packages_are_installed_by_setup():
    check(CMAKE_PACKAGES, "cmake", "CMake package")


def test_ns3_config_dependencies_are_installed_by_setup():
    configs = glob.glob("/usr/lib/*/cmake/ns3/*.cmake")
    if not configs:
        pytest.skip("Debian's ns-3 CMake config (libns3-dev) is not installed")
    errors = []
    for path in sorted({p for c in configs for p in
                        re.findall(r"/usr/[^;\"'\s)]*", open(c, encoding="utf-8").read())}):
        pkgs = [pkg for pat, pkg in NS3_CONFIG_PATHS if re.fullmatch(pat, path)]
        if not pkgs:
            errors.append(f"ns-3's CMake config names {path}, which is not in NS3_CONFIG_PATHS "
                          f"of {HERE}: add it with the Debian package that brings it, and "
                          f"add that package to packages=(...) in {SETUP}")
        elif pkgs[0] != BASE and pkgs[0] not in LISTED:
            errors.append(f"ns-3's CMake config names {path}, from {pkgs[0]}, which is not in "
                          f"packages=(...) of {SETUP}")
    assert not errors, "\n".join(errors)


def test_base_packages_are_in_every_fresh_root():
    # BASE means Essential (or apt): a fresh root of mmdebstrap --variant=apt has it.
    if not shutil.which("dpkg-query"):
        pytest.skip("no dpkg")
    tools = sorted(t for t, p in TOOLS.items() if p == BASE and t in USED["tool"])
    wrong, candidates = [], {}
    for tool in tools:
        path = shutil.which(tool)
        if not path:
            wrong.append(f"{tool}: not found")
            continue
        # usrmerge: dpkg may know /bin/x for /usr/bin/x, and a link's target
        for c in (path, os.path.realpath(path)):
            candidates.setdefault(c, tool)
            candidates.setdefault(re.sub(r"^/usr/", "/", c), tool)
    out = subprocess.run(["dpkg-query", "-S", *candidates], capture_output=True, text=True).stdout
    owners = {}
    for line in out.splitlines():
        pkgs, _, path = line.partition(": ")
        if path in candidates:
            owners.setdefault(candidates[path], pkgs.split(",")[0].split(":")[0].strip())
    found = sorted(set(owners.values()))
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Essential}\\n", *found],
                         capture_output=True, text=True).stdout
    essential = {p for p, e in (line.split(" ", 1) for line in out.splitlines()) if e == "yes"}
    for tool in tools:
        if tool not in owners:
            if shutil.which(tool):
                wrong.append(f"{tool}: {shutil.which(tool)} belongs to no package")
            continue
        owner = owners[tool]
        if owner not in essential and owner not in BASE_NON_ESSENTIAL:
            wrong.append(f"{tool}: its package {owner} is not Essential, so a fresh root "
                         f"may lack it: map it to {owner} in {HERE} and add {owner} to {SETUP}")
    assert not wrong, "\n".join(wrong)
