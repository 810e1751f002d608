/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ns-3 core: Time, Simulator, EventId, TypeId, Object (attributes and trace
// sources), Config, GlobalValue, RngSeedManager and logging.

#include "ns3divert.h"

#include "ns3/config.h"
#include "ns3/data-rate.h"
#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <cmath>
#include <pybind11/operators.h>
#include <sstream>

namespace ns3py
{

using namespace ns3;

namespace
{

/// The string form of a time ns-3 prints ("+1.5s").
std::string
TimeToString(const Time& t)
{
    std::ostringstream os;
    os << t.As(Time::S);
    return os.str();
}

/**
 * A Time of `steps` resolution units: ValueError for NaN, OverflowError
 * when it does not fit in ns-3's 64-bit time (ns-3 would wrap silently).
 */
Time
CheckedTime(double steps, const char* what)
{
    if (std::isnan(steps))
    {
        throw py::value_error(std::string(what) + " is NaN");
    }
    if (!(std::fabs(steps) < 9.2e18))
    {
        PyErr_SetString(PyExc_OverflowError,
                        (std::string(what) + " out of the range of ns-3 time").c_str());
        throw py::error_already_set();
    }
    return Time(static_cast<int64_t>(std::llround(steps)));
}

/// A Python callable and its arguments, as one callable.
py::object
Bind(py::object fn, py::args args, py::kwargs kwargs)
{
    if (!PyCallable_Check(fn.ptr()))
    {
        throw py::type_error("the event must be callable");
    }
    if (args.empty() && kwargs.empty())
    {
        return fn;
    }
    return py::module_::import("functools").attr("partial")(fn, *args, **kwargs);
}

/// Run a scheduled Python event.
void
RunEvent(Ptr<PyCallable> h)
{
    InvokeVoid<>(h);
}

/// Split "ns3::Type::Attribute" (SetDefault) at its last "::".
std::pair<TypeId, std::string>
SplitDefaultName(const std::string& name)
{
    std::string::size_type pos = name.rfind("::");
    if (pos == std::string::npos || pos == 0)
    {
        throw py::value_error("'" + name + "' is not of the form ns3::Type::Attribute");
    }
    return {LookupTypeId(name.substr(0, pos)), name.substr(pos + 2)};
}

/// Split a Config path at its last '/'.
std::pair<std::string, std::string>
SplitPath(const std::string& path)
{
    std::string::size_type pos = path.rfind('/');
    if (pos == std::string::npos || pos + 1 == path.size())
    {
        throw py::value_error("'" + path + "' does not end with /Name");
    }
    return {path.substr(0, pos), path.substr(pos + 1)};
}

/// The GlobalValue of a name, or raise.
GlobalValue*
FindGlobal(const std::string& name)
{
    for (auto i = GlobalValue::Begin(); i != GlobalValue::End(); ++i)
    {
        if ((*i)->GetName() == name)
        {
            return *i;
        }
    }
    throw py::value_error("unknown GlobalValue '" + name + "'");
}

/// Names of the attributes of a TypeId and its parents, the TypeId's own first.
std::vector<std::string>
AttributeNames(TypeId tid)
{
    std::vector<std::string> names;
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); i++)
        {
            names.push_back(t.GetAttribute(i).name);
        }
        if (t == t.GetParent())
        {
            break;
        }
    }
    return names;
}

/// Names of the trace sources of a TypeId and its parents.
std::vector<std::string>
TraceSourceNames(TypeId tid)
{
    std::vector<std::string> names;
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (std::size_t i = 0; i < t.GetTraceSourceN(); i++)
        {
            names.push_back(t.GetTraceSource(i).name);
        }
        if (t == t.GetParent())
        {
            break;
        }
    }
    return names;
}

/// Whether a log component exists.
bool
HasLogComponent(const std::string& name)
{
    for (auto& entry : *LogComponent::GetComponentList())
    {
        if (entry.first == name)
        {
            return true;
        }
    }
    return false;
}

} // namespace

void
BindCore(py::module_& m)
{
    // --- Time ------------------------------------------------------------------
    py::class_<Time>(m, "Time", "A simulation time (ns3::Time), exact to the time resolution.")
        .def(py::init<>(), "Zero.")
        .def(py::init([](const std::string& s) {
                 Ptr<AttributeValue> v = MakeAttributeValue(MakeTimeChecker(), py::str(s), "Time");
                 return DynamicCast<TimeValue>(v)->Get();
             }),
             py::arg("text"),
             "Parse a time such as '1.5s', '10ms', '3us' (ValueError if malformed).")
        .def("GetSeconds", &Time::GetSeconds, "The time in seconds (float).")
        .def("GetMilliSeconds", &Time::GetMilliSeconds, "The time in whole milliseconds.")
        .def("GetMicroSeconds", &Time::GetMicroSeconds, "The time in whole microseconds.")
        .def("GetNanoSeconds", &Time::GetNanoSeconds, "The time in whole nanoseconds.")
        .def("GetTimeStep", &Time::GetTimeStep, "The time in resolution units.")
        .def("GetDouble", &Time::GetDouble, "The time in resolution units (float).")
        .def("IsZero", &Time::IsZero)
        .def("IsPositive", &Time::IsPositive)
        .def("IsNegative", &Time::IsNegative)
        .def("IsStrictlyPositive", &Time::IsStrictlyPositive)
        .def("IsStrictlyNegative", &Time::IsStrictlyNegative)
        .def(py::self + py::self)
        .def(py::self - py::self)
        .def("__neg__", [](const Time& t) { return Time(0) - t; })
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::self < py::self)
        .def(py::self <= py::self)
        .def(py::self > py::self)
        .def(py::self >= py::self)
        .def("__mul__",
             [](const Time& t, py::handle k) {
                 if (py::isinstance<py::int_>(k))
                 {
                     return t * k.cast<int64_t>();
                 }
                 return t * k.cast<double>();
             })
        .def("__rmul__",
             [](const Time& t, py::handle k) {
                 if (py::isinstance<py::int_>(k))
                 {
                     return t * k.cast<int64_t>();
                 }
                 return t * k.cast<double>();
             })
        .def("__truediv__",
             [](const Time& t, py::handle k) -> py::object {
                 if (py::isinstance<Time>(k))
                 {
                     if (k.cast<Time>().IsZero())
                     {
                         PyErr_SetString(PyExc_ZeroDivisionError, "Time division by zero");
                         throw py::error_already_set();
                     }
                     return py::float_(t.GetDouble() / k.cast<Time>().GetDouble());
                 }
                 if (py::isinstance<py::int_>(k))
                 {
                     auto d = k.cast<int64_t>();
                     if (d == 0)
                     {
                         PyErr_SetString(PyExc_ZeroDivisionError, "Time division by zero");
                         throw py::error_already_set();
                     }
                     return py::cast(t / d);
                 }
                 double d = k.cast<double>();
                 if (d == 0.0)
                 {
                     PyErr_SetString(PyExc_ZeroDivisionError, "Time division by zero");
                     throw py::error_already_set();
                 }
                 return py::cast(CheckedTime(t.GetDouble() / d, "Time division"));
             })
        .def("__hash__", [](const Time& t) { return py::hash(py::int_(t.GetTimeStep())); })
        .def("__bool__", [](const Time& t) { return !t.IsZero(); })
        .def("__str__", &TimeToString)
        .def("__repr__", [](const Time& t) { return "Time('" + TimeToString(t) + "')"; })
        .def(py::pickle([](const Time& t) { return py::make_tuple(t.GetTimeStep()); },
                        [](py::tuple s) { return Time(s[0].cast<int64_t>()); }));

    // Integers stay exact (Time::FromInteger); floats go through Time::FromDouble.
    auto timeHelper = [&m](const char* name, Time::Unit unit, const char* doc) {
        m.def(
            name,
            [unit](int64_t v) { return Time::FromInteger(v, unit); },
            py::arg("value"),
            doc);
        m.def(
            name,
            [unit](double v) {
                return CheckedTime(v * Time::FromInteger(1, unit).GetDouble(), "Time value");
            },
            py::arg("value"),
            doc);
    };
    timeHelper("Seconds", Time::S, "A Time of `value` seconds.");
    timeHelper("MilliSeconds", Time::MS, "A Time of `value` milliseconds.");
    timeHelper("MicroSeconds", Time::US, "A Time of `value` microseconds.");
    timeHelper("NanoSeconds", Time::NS, "A Time of `value` nanoseconds.");
    timeHelper("Minutes", Time::MIN, "A Time of `value` minutes.");

    // --- DataRate ----------------------------------------------------------------
    py::class_<DataRate>(m, "DataRate", "A bit rate (ns3::DataRate).")
        .def(py::init<uint64_t>(), py::arg("bps"), "A rate in bits per second.")
        .def(py::init([](const std::string& s) {
                 Ptr<AttributeValue> v =
                     MakeAttributeValue(MakeDataRateChecker(), py::str(s), "DataRate");
                 return DynamicCast<DataRateValue>(v)->Get();
             }),
             py::arg("text"),
             "Parse a rate such as '10Mbps' (ValueError if malformed).")
        .def("GetBitRate", &DataRate::GetBitRate, "Bits per second.")
        .def(py::self == py::self)
        .def("__repr__", [](const DataRate& r) {
            std::ostringstream os;
            os << "DataRate('" << r << "')";
            return os.str();
        });

    // --- EventId and Simulator ------------------------------------------------
    py::class_<EventId>(m, "EventId", "A scheduled event (ns3::EventId).")
        .def(py::init<>())
        .def("Cancel", &EventId::Cancel, "Cancel the event (it stays in the queue, ignored).")
        .def("IsExpired", &EventId::IsExpired, "True if the event ran or was cancelled.")
        .def("IsRunning", &EventId::IsRunning, "True if the event is still pending.")
        .def("GetUid", &EventId::GetUid)
        .def("GetTs", &EventId::GetTs, "The event's time stamp in resolution units.")
        .def(py::self == py::self);

    py::class_<Simulator, std::unique_ptr<Simulator, py::nodelete>> sim(
        m,
        "Simulator",
        "The ns-3 simulator (static methods).");
    sim.def_static(
        "Run",
        []() {
            // The GIL stays held: ns-3 calls Python back synchronously from
            // this thread. An exception raised by a Python callback stops the
            // simulation and is raised here.
            BeginRun();
            try
            {
                Simulator::Run();
            }
            catch (...)
            {
                EndRun();
                throw;
            }
            EndRun();
        },
        "Run the simulation until no event is left or Stop() takes effect.\n\n"
        "An exception raised by a Python callback stops the simulation at once\n"
        "and is raised again by Run().");
    sim.def_static("Stop",
                   py::overload_cast<>(&Simulator::Stop),
                   "Stop after the event being run now.");
    sim.def_static("Stop",
                   py::overload_cast<const Time&>(&Simulator::Stop),
                   py::arg("delay"),
                   "Stop after `delay`, from now.");
    sim.def_static("Now", &Simulator::Now, "The current simulation time.");
    sim.def_static("IsFinished", &Simulator::IsFinished, "True if no event is left or Stop ran.");
    sim.def_static("GetContext", &Simulator::GetContext, "The context (node id) of the event.");
    sim.def_static("GetDelayLeft",
                   &Simulator::GetDelayLeft,
                   py::arg("event"),
                   "Time left before an event runs.");
    sim.def_static("Cancel", &Simulator::Cancel, py::arg("event"), "Cancel an event.");
    sim.def_static("Remove", &Simulator::Remove, py::arg("event"), "Remove an event.");
    sim.def_static("IsExpired", &Simulator::IsExpired, py::arg("event"));
    sim.def_static(
        "Schedule",
        [](const Time& delay, py::object fn, py::args args, py::kwargs kwargs) {
            if (delay.IsStrictlyNegative())
            {
                throw py::value_error("Simulator.Schedule: negative delay");
            }
            Ptr<PyCallable> h = Create<PyCallable>(Bind(fn, args, kwargs));
            return Simulator::Schedule(delay, &RunEvent, h);
        },
        py::arg("delay"),
        py::arg("fn"),
        "Schedule fn(*args, **kwargs) after `delay` (a Time); returns an EventId.");
    sim.def_static(
        "ScheduleNow",
        [](py::object fn, py::args args, py::kwargs kwargs) {
            Ptr<PyCallable> h = Create<PyCallable>(Bind(fn, args, kwargs));
            return Simulator::ScheduleNow(&RunEvent, h);
        },
        py::arg("fn"),
        "Schedule fn(*args, **kwargs) now, after the current event.");
    sim.def_static(
        "ScheduleWithContext",
        [](uint32_t context, const Time& delay, py::object fn, py::args args, py::kwargs kwargs) {
            if (delay.IsStrictlyNegative())
            {
                throw py::value_error("Simulator.ScheduleWithContext: negative delay");
            }
            Ptr<PyCallable> h = Create<PyCallable>(Bind(fn, args, kwargs));
            Simulator::ScheduleWithContext(context, delay, &RunEvent, h);
        },
        py::arg("context"),
        py::arg("delay"),
        py::arg("fn"),
        "Schedule fn(*args, **kwargs) after `delay` in the context of a node.");
    sim.def_static(
        "ScheduleDestroy",
        [](py::object fn, py::args args, py::kwargs kwargs) {
            Ptr<PyCallable> h = Create<PyCallable>(Bind(fn, args, kwargs));
            return Simulator::ScheduleDestroy(&RunEvent, h);
        },
        py::arg("fn"),
        "Run fn(*args, **kwargs) when Destroy() is called.");
    sim.def_static(
        "Destroy",
        []() {
            Simulator::Destroy();
            // Whatever Python callables the simulation still holds (helpers,
            // sockets that were not disposed, ...) are dropped now, so that no
            // cycle through C++ keeps Python objects alive.
            PyCallable::ReleaseAll();
            RaisePendingError(); // from a ScheduleDestroy event
        },
        "Destroy the simulation: dispose every node, release every event and\n"
        "every Python callable handed to ns-3. Call it between scenarios.");

    // --- TypeId ------------------------------------------------------------------
    py::class_<TypeId>(m, "TypeId", "An ns-3 type identifier.")
        .def_static("LookupByName",
                    &LookupTypeId,
                    py::arg("name"),
                    "The TypeId of a name (ValueError if unknown).")
        .def("GetName", &TypeId::GetName)
        .def("GetParent", &TypeId::GetParent)
        .def("GetGroupName", &TypeId::GetGroupName)
        .def(
            "GetAttributeNames",
            [](const TypeId& t) { return AttributeNames(t); },
            "Attribute names of the type and its parents.")
        .def(
            "GetTraceSourceNames",
            [](const TypeId& t) { return TraceSourceNames(t); },
            "Trace source names of the type and its parents.")
        .def(
            "GetTraceSourceSignature",
            [](const TypeId& t, const std::string& name) {
                TypeId::TraceSourceInformation info;
                if (!t.LookupTraceSourceByName(name, &info))
                {
                    throw py::value_error("trace source '" + name + "' not found in " +
                                          t.GetName());
                }
                return info.callback;
            },
            py::arg("name"),
            "The callback type name of a trace source.")
        .def(py::self == py::self)
        .def("__hash__", [](const TypeId& t) { return t.GetUid(); })
        .def("__repr__", [](const TypeId& t) { return "TypeId('" + t.GetName() + "')"; });

    // --- Object ----------------------------------------------------------------------
    // dynamic_attr: scripts may hang their own state on ns-3 objects (the
    // attributes live as long as the Python wrapper does).
    py::class_<Object, Ptr<Object>>(m,
                                    "Object",
                                    py::dynamic_attr(),
                                    "Base of ns-3 objects: attributes, trace sources, aggregation.")
        .def(
            "SetAttribute",
            [](Object& o, const std::string& name, py::handle value) {
                Ptr<AttributeValue> v = MakeAttributeValue(o.GetInstanceTypeId(), name, value);
                if (!o.SetAttributeFailSafe(name, *v))
                {
                    throw py::value_error("cannot set attribute '" + name + "' of " +
                                          o.GetInstanceTypeId().GetName());
                }
            },
            py::arg("name"),
            py::arg("value"),
            "Set an attribute from a Python value (bool, int, float, str, Time, ...).\n"
            "ValueError if the attribute does not exist or refuses the value.")
        .def(
            "GetAttribute",
            [](const Object& o, const std::string& name) {
                TypeId::AttributeInformation info;
                if (!o.GetInstanceTypeId().LookupAttributeByName(name, &info))
                {
                    throw py::value_error("attribute '" + name + "' not found in " +
                                          o.GetInstanceTypeId().GetName());
                }
                Ptr<AttributeValue> v = info.checker->Create();
                if (!o.GetAttributeFailSafe(name, *v))
                {
                    throw py::value_error("cannot get attribute '" + name + "'");
                }
                return AttributeToPy(*v, info.checker);
            },
            py::arg("name"),
            "An attribute's value as a Python value (enums by name).")
        .def(
            "TraceConnectWithoutContext",
            [](Ptr<Object> o, const std::string& name, py::function fn) {
                return TraceConnectPy(o, name, fn, "", false);
            },
            py::arg("name"),
            py::arg("fn"),
            "Call fn(*args) for each event of a trace source; args follow the\n"
            "C++ signature (packets as Packet copies, addresses as (host, port)).\n"
            "ValueError if there is no such trace source.")
        .def(
            "TraceConnect",
            [](Ptr<Object> o,
               const std::string& name,
               const std::string& context,
               py::function fn) { return TraceConnectPy(o, name, fn, context, true); },
            py::arg("name"),
            py::arg("context"),
            py::arg("fn"),
            "As TraceConnectWithoutContext, with `context` as fn's first argument.")
        .def("GetInstanceTypeId", &Object::GetInstanceTypeId)
        .def(
            "GetObject",
            [](const Object& o, py::handle tid) -> py::object {
                Ptr<Object> r = o.GetObject<Object>(ToTypeId(tid));
                return r ? py::cast(r) : py::none();
            },
            py::arg("tid"),
            "The aggregated object of a TypeId (name or TypeId), or None.")
        .def("AggregateObject", &Object::AggregateObject, py::arg("other"))
        .def("Initialize", &Object::Initialize)
        .def("Dispose", &Object::Dispose)
        .def("__repr__", [](const Object& o) {
            std::ostringstream os;
            os << "<" << o.GetInstanceTypeId().GetName() << " at " << &o << ">";
            return os.str();
        });

    m.def(
        "CreateObject",
        [](py::handle tid, py::kwargs attributes) {
            TypeId t = ToTypeId(tid);
            if (!t.HasConstructor())
            {
                throw py::value_error(t.GetName() + " has no constructor");
            }
            ObjectFactory factory;
            factory.SetTypeId(t);
            for (auto item : attributes)
            {
                std::string name = item.first.cast<std::string>();
                factory.Set(name, *MakeAttributeValue(t, name, item.second));
            }
            return factory.Create<Object>();
        },
        py::arg("tid"),
        "Create an object by TypeId (name or TypeId), attributes as keywords.");

    // --- Config --------------------------------------------------------------------
    py::module_ config = m.def_submodule("Config", "Attribute defaults and the object namespace.");
    config.def(
        "SetDefault",
        [](const std::string& name, py::handle value) {
            auto [tid, attr] = SplitDefaultName(name);
            Ptr<AttributeValue> v = MakeAttributeValue(tid, attr, value);
            if (!Config::SetDefaultFailSafe(name, *v))
            {
                throw py::value_error("cannot set default " + name);
            }
        },
        py::arg("name"),
        py::arg("value"),
        "Set the initial value of an attribute, e.g.\n"
        "Config.SetDefault('ns3::DivertIpv4L3Protocol::PassThrough', True).");
    config.def(
        "Set",
        [](const std::string& path, py::handle value) {
            auto [root, leaf] = SplitPath(path);
            Config::MatchContainer matches = Config::LookupMatches(root);
            for (std::size_t i = 0; i < matches.GetN(); i++)
            {
                Ptr<Object> o = matches.Get(i);
                Ptr<AttributeValue> v = MakeAttributeValue(o->GetInstanceTypeId(), leaf, value);
                if (!o->SetAttributeFailSafe(leaf, *v))
                {
                    throw py::value_error("cannot set " + matches.GetMatchedPath(i) + "/" + leaf);
                }
            }
            return matches.GetN();
        },
        py::arg("path"),
        py::arg("value"),
        "Set an attribute on every object matching a path; returns how many.");
    config.def(
        "SetGlobal",
        [](const std::string& name, py::handle value) {
            GlobalValue* g = FindGlobal(name);
            Ptr<AttributeValue> v =
                MakeAttributeValue(g->GetChecker(), value, "GlobalValue " + name);
            if (!g->SetValue(*v))
            {
                throw py::value_error("cannot set GlobalValue " + name);
            }
        },
        py::arg("name"),
        py::arg("value"),
        "Set a GlobalValue (as GlobalValue.Bind).");
    config.def(
        "ConnectWithoutContext",
        [](const std::string& path, py::function fn) {
            auto [root, leaf] = SplitPath(path);
            Config::MatchContainer matches = Config::LookupMatches(root);
            std::size_t n = 0;
            for (std::size_t i = 0; i < matches.GetN(); i++)
            {
                n += TraceConnectPy(matches.Get(i), leaf, fn, "", false) ? 1 : 0;
            }
            return n;
        },
        py::arg("path"),
        py::arg("fn"),
        "Connect fn to a trace source of every object matching a path;\n"
        "returns how many were connected.");
    config.def(
        "Connect",
        [](const std::string& path, py::function fn) {
            auto [root, leaf] = SplitPath(path);
            Config::MatchContainer matches = Config::LookupMatches(root);
            std::size_t n = 0;
            for (std::size_t i = 0; i < matches.GetN(); i++)
            {
                std::string context = matches.GetMatchedPath(i) + "/" + leaf;
                n += TraceConnectPy(matches.Get(i), leaf, fn, context, true) ? 1 : 0;
            }
            return n;
        },
        py::arg("path"),
        py::arg("fn"),
        "As ConnectWithoutContext; fn receives the matched path first.");
    config.def(
        "LookupMatches",
        [](const std::string& path) {
            Config::MatchContainer matches = Config::LookupMatches(path);
            std::vector<Ptr<Object>> objects;
            for (std::size_t i = 0; i < matches.GetN(); i++)
            {
                objects.push_back(matches.Get(i));
            }
            return objects;
        },
        py::arg("path"),
        "The objects a path matches.");
    config.def("Reset", &Config::Reset, "Restore every attribute default and GlobalValue.");

    // --- GlobalValue ------------------------------------------------------------
    py::class_<GlobalValue, std::unique_ptr<GlobalValue, py::nodelete>> gv(
        m,
        "GlobalValue",
        "Global settings such as ChecksumEnabled.");
    gv.def_static(
        "Bind",
        [](const std::string& name, py::handle value) {
            GlobalValue* g = FindGlobal(name);
            Ptr<AttributeValue> v =
                MakeAttributeValue(g->GetChecker(), value, "GlobalValue " + name);
            if (!GlobalValue::BindFailSafe(name, *v))
            {
                throw py::value_error("cannot bind GlobalValue " + name);
            }
        },
        py::arg("name"),
        py::arg("value"),
        "Set a global value, e.g. GlobalValue.Bind('ChecksumEnabled', True).");
    gv.def_static(
        "GetValueByName",
        [](const std::string& name) {
            GlobalValue* g = FindGlobal(name);
            Ptr<AttributeValue> v = g->GetChecker()->Create();
            g->GetValue(*v);
            return AttributeToPy(*v, g->GetChecker());
        },
        py::arg("name"),
        "The value of a global value.");
    gv.def_static(
        "GetNames",
        []() {
            std::vector<std::string> names;
            for (auto i = GlobalValue::Begin(); i != GlobalValue::End(); ++i)
            {
                names.push_back((*i)->GetName());
            }
            return names;
        },
        "The names of every global value.");

    // --- RngSeedManager ---------------------------------------------------------
    py::class_<RngSeedManager>(m, "RngSeedManager", "Seed and run number of every RNG stream.")
        .def_static("SetSeed", &RngSeedManager::SetSeed, py::arg("seed"))
        .def_static("GetSeed", &RngSeedManager::GetSeed)
        .def_static("SetRun", &RngSeedManager::SetRun, py::arg("run"))
        .def_static("GetRun", &RngSeedManager::GetRun);

    py::class_<RandomVariableStream, Object, Ptr<RandomVariableStream>>(
        m,
        "RandomVariableStream",
        "A random variable (create one with CreateObject('ns3::UniformRandomVariable', ...)).")
        .def("GetValue", py::overload_cast<>(&RandomVariableStream::GetValue), "A draw.")
        .def("GetInteger", py::overload_cast<>(&RandomVariableStream::GetInteger), "A draw.")
        .def("SetStream", &RandomVariableStream::SetStream, py::arg("stream"))
        .def("GetStream", &RandomVariableStream::GetStream);

    // --- logging ------------------------------------------------------------------
    py::enum_<LogLevel>(m, "LogLevel", py::arithmetic(), "NS_LOG levels and prefixes.")
        .value("LOG_NONE", LOG_NONE)
        .value("LOG_ERROR", LOG_ERROR)
        .value("LOG_WARN", LOG_WARN)
        .value("LOG_DEBUG", LOG_DEBUG)
        .value("LOG_INFO", LOG_INFO)
        .value("LOG_FUNCTION", LOG_FUNCTION)
        .value("LOG_LOGIC", LOG_LOGIC)
        .value("LOG_ALL", LOG_ALL)
        .value("LOG_LEVEL_ERROR", LOG_LEVEL_ERROR)
        .value("LOG_LEVEL_WARN", LOG_LEVEL_WARN)
        .value("LOG_LEVEL_DEBUG", LOG_LEVEL_DEBUG)
        .value("LOG_LEVEL_INFO", LOG_LEVEL_INFO)
        .value("LOG_LEVEL_FUNCTION", LOG_LEVEL_FUNCTION)
        .value("LOG_LEVEL_LOGIC", LOG_LEVEL_LOGIC)
        .value("LOG_LEVEL_ALL", LOG_LEVEL_ALL)
        .value("LOG_PREFIX_FUNC", LOG_PREFIX_FUNC)
        .value("LOG_PREFIX_TIME", LOG_PREFIX_TIME)
        .value("LOG_PREFIX_NODE", LOG_PREFIX_NODE)
        .value("LOG_PREFIX_LEVEL", LOG_PREFIX_LEVEL)
        .value("LOG_PREFIX_ALL", LOG_PREFIX_ALL)
        .export_values();
    m.def(
        "LogComponentEnable",
        [](const std::string& name, int level) {
            if (!HasLogComponent(name))
            {
                throw py::value_error("no log component '" + name + "'");
            }
            LogComponentEnable(name.c_str(), static_cast<LogLevel>(level));
        },
        py::arg("name"),
        py::arg("level"),
        "Enable NS_LOG output of a component (the divert module's components log;\n"
        "Debian's ns-3 libraries are built without logging).");
    m.def(
        "LogComponentDisable",
        [](const std::string& name, int level) {
            if (!HasLogComponent(name))
            {
                throw py::value_error("no log component '" + name + "'");
            }
            LogComponentDisable(name.c_str(), static_cast<LogLevel>(level));
        },
        py::arg("name"),
        py::arg("level"));
    m.def(
        "LogComponentEnableAll",
        [](int level) { LogComponentEnableAll(static_cast<LogLevel>(level)); },
        py::arg("level"));
    m.def(
        "LogComponentDisableAll",
        [](int level) { LogComponentDisableAll(static_cast<LogLevel>(level)); },
        py::arg("level"));

    // Objects reach Python as their nearest bound class.
    RegisterObjectType<Object>();
    RegisterObjectType<RandomVariableStream>();
}

} // namespace ns3py
