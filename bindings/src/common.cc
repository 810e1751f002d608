/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Python callables held by ns-3, error reporting from callbacks, and the
// conversions between Python values and ns-3 values.

#include "ns3divert.h"

#include "ns3/address-utils.h"
#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/integer.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <cerrno>
#include <optional>
#include <regex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace ns3py
{

using namespace ns3;

// --- PyCallable ------------------------------------------------------------

namespace
{
/// Every live holder (see PyCallable).
std::unordered_set<PyCallable*>&
Registry()
{
    static auto* registry = new std::unordered_set<PyCallable*>();
    return *registry;
}

/// True once the interpreter is going away: Python objects may not be touched.
bool
InterpreterGone()
{
#if PY_VERSION_HEX >= 0x030D0000
    return !Py_IsInitialized() || Py_IsFinalizing();
#else
    return !Py_IsInitialized() || _Py_IsFinalizing();
#endif
}
} // namespace

PyCallable::PyCallable(py::object fn)
    : m_fn(fn.release().ptr())
{
    Registry().insert(this);
}

PyCallable::~PyCallable()
{
    Registry().erase(this);
    if (m_fn == nullptr)
    {
        return;
    }
    if (InterpreterGone())
    {
        m_fn = nullptr; // leaked on purpose: the interpreter is finalizing
        return;
    }
    py::gil_scoped_acquire gil;
    Py_CLEAR(m_fn);
}

void
PyCallable::ReleaseAll()
{
    // Releasing a callable may run Python code (__del__) that creates or
    // destroys holders: work on a snapshot.
    std::vector<PyCallable*> all(Registry().begin(), Registry().end());
    std::vector<PyObject*> refs;
    for (PyCallable* c : all)
    {
        if (c->m_fn != nullptr)
        {
            refs.push_back(c->m_fn);
            c->m_fn = nullptr;
        }
    }
    for (PyObject* r : refs)
    {
        Py_DECREF(r);
    }
}

std::size_t
PyCallable::GetLiveCount()
{
    std::size_t n = 0;
    for (PyCallable* c : Registry())
    {
        n += c->IsAlive() ? 1 : 0;
    }
    return n;
}

// --- bound classes of ns-3 objects ---------------------------------------------

namespace
{
/// TypeId uid -> bound C++ class and its cast.
std::unordered_map<uint16_t, std::pair<const std::type_info*, ObjectCaster>>&
BoundTypes()
{
    static auto* table =
        new std::unordered_map<uint16_t, std::pair<const std::type_info*, ObjectCaster>>();
    return *table;
}
} // namespace

void
RegisterObjectTypeImpl(TypeId tid, const std::type_info* type, ObjectCaster caster)
{
    BoundTypes()[tid.GetUid()] = {type, caster};
}

const void*
FindBoundBase(const Object* src, const std::type_info*& type)
{
    for (TypeId t = src->GetInstanceTypeId();; t = t.GetParent())
    {
        auto it = BoundTypes().find(t.GetUid());
        if (it != BoundTypes().end())
        {
            if (const void* p = it->second.second(src))
            {
                type = it->second.first;
                return p;
            }
        }
        if (t == t.GetParent())
        {
            return nullptr;
        }
    }
}

// --- errors raised by callbacks --------------------------------------------

namespace
{
int g_runDepth = 0;                                  //!< nested Simulator.Run() calls
std::optional<py::error_already_set> g_pendingError; //!< first error of this run
} // namespace

void
HandleCallbackError(py::error_already_set& e)
{
    // Never thrown through ns-3's frames (they are not exception safe: a
    // half-done send would leave state behind); kept until control is back
    // in the binding that Python called.
    if (!g_pendingError)
    {
        g_pendingError.emplace(std::move(e));
        if (g_runDepth > 0)
        {
            Simulator::Stop();
        }
    }
}

bool
HasPendingError()
{
    return g_pendingError.has_value();
}

void
RaisePendingError()
{
    if (g_pendingError)
    {
        py::error_already_set e = std::move(*g_pendingError);
        g_pendingError.reset();
        throw e;
    }
}

void
BeginRun()
{
    RaisePendingError(); // an error from a callback outside Run() is not lost
    g_runDepth++;
}

void
EndRun()
{
    g_runDepth--;
    if (g_runDepth == 0)
    {
        RaisePendingError();
    }
}

// --- C++ -> Python ------------------------------------------------------------

py::object
ToPy(const Ptr<const Packet>& p)
{
    if (!p)
    {
        return py::none();
    }
    return py::cast(p->Copy());
}

py::object
ToPy(const Ptr<Packet>& p)
{
    return ToPy(Ptr<const Packet>(p));
}

py::object
AddressToPy(const Address& a)
{
    if (InetSocketAddress::IsMatchingType(a))
    {
        InetSocketAddress inet = InetSocketAddress::ConvertFrom(a);
        std::ostringstream os;
        os << inet.GetIpv4();
        return py::make_tuple(os.str(), inet.GetPort());
    }
    if (Inet6SocketAddress::IsMatchingType(a))
    {
        Inet6SocketAddress inet = Inet6SocketAddress::ConvertFrom(a);
        std::ostringstream os;
        os << inet.GetIpv6();
        return py::make_tuple(os.str(), inet.GetPort());
    }
    if (Ipv4Address::IsMatchingType(a))
    {
        std::ostringstream os;
        os << Ipv4Address::ConvertFrom(a);
        return py::str(os.str());
    }
    if (Mac48Address::IsMatchingType(a))
    {
        std::ostringstream os;
        os << Mac48Address::ConvertFrom(a);
        return py::str(os.str());
    }
    return py::cast(a);
}

py::object
ToPy(const Address& a)
{
    return AddressToPy(a);
}

// --- Python -> C++ ------------------------------------------------------------

Ipv4Address
ParseIpv4(const std::string& s)
{
    in_addr addr{};
    if (inet_pton(AF_INET, s.c_str(), &addr) != 1)
    {
        throw py::value_error("invalid IPv4 address: '" + s + "'");
    }
    return Ipv4Address(ntohl(addr.s_addr));
}

Ipv4Address
ToIpv4Address(py::handle o)
{
    if (py::isinstance<Ipv4Address>(o))
    {
        return o.cast<Ipv4Address>();
    }
    if (py::isinstance<py::str>(o))
    {
        return ParseIpv4(o.cast<std::string>());
    }
    throw py::type_error("an IPv4 address (str or Ipv4Address) is required, got " +
                         std::string(py::str(py::type::of(o).attr("__name__"))));
}

Address
ToAddress(py::handle o)
{
    if (py::isinstance<py::tuple>(o) || py::isinstance<py::list>(o))
    {
        py::sequence seq = py::reinterpret_borrow<py::sequence>(o);
        if (py::len(seq) != 2)
        {
            throw py::value_error("a socket address is a (host, port) pair");
        }
        Ipv4Address ip = ToIpv4Address(seq[0]);
        int port = seq[1].cast<int>();
        if (port < 0 || port > 65535)
        {
            throw py::value_error("port out of range: " + std::to_string(port));
        }
        return InetSocketAddress(ip, static_cast<uint16_t>(port));
    }
    if (py::isinstance<InetSocketAddress>(o))
    {
        return o.cast<InetSocketAddress>();
    }
    if (py::isinstance<Ipv4Address>(o) || py::isinstance<py::str>(o))
    {
        return ToIpv4Address(o);
    }
    if (py::isinstance<Address>(o))
    {
        return o.cast<Address>();
    }
    throw py::type_error("an address is required: (host, port), InetSocketAddress, "
                         "Ipv4Address, str or Address");
}

Ptr<Packet>
ToPacket(py::handle o)
{
    if (py::isinstance<Packet>(o))
    {
        return o.cast<Ptr<Packet>>()->Copy();
    }
    if (PyObject_CheckBuffer(o.ptr()))
    {
        py::buffer_info info = py::reinterpret_borrow<py::buffer>(o).request();
        if (info.ndim > 1 || (info.ndim == 1 && info.strides[0] != info.itemsize))
        {
            throw py::type_error("a contiguous bytes-like object is required");
        }
        auto size = static_cast<uint32_t>(info.size * info.itemsize);
        return Create<Packet>(static_cast<const uint8_t*>(info.ptr), size);
    }
    throw py::type_error("bytes, bytearray, memoryview or Packet required, got " +
                         std::string(py::str(py::type::of(o).attr("__name__"))));
}

py::bytes
PacketBytes(const Ptr<const Packet>& p)
{
    std::string buf(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(buf.data()), buf.size());
    return py::bytes(buf);
}

// --- TypeId ----------------------------------------------------------------

TypeId
LookupTypeId(const std::string& name)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(name, &tid))
    {
        throw py::value_error("unknown TypeId '" + name + "'");
    }
    return tid;
}

TypeId
ToTypeId(py::handle o)
{
    if (py::isinstance<TypeId>(o))
    {
        return o.cast<TypeId>();
    }
    return LookupTypeId(o.cast<std::string>());
}

// --- attributes ----------------------------------------------------------------

namespace
{
/// Time strings ns-3 can parse (Time(std::string) aborts on anything else).
bool
IsTimeString(const std::string& s)
{
    static const std::regex re(
        R"(^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?(s|ms|us|ns|ps|fs|min|h|d|y)?$)");
    return std::regex_match(s, re);
}

/// Without leading and trailing blanks.
std::string
Trim(const std::string& s)
{
    const char* blanks = " \t\r\n\f\v";
    std::string::size_type b = s.find_first_not_of(blanks);
    if (b == std::string::npos)
    {
        return "";
    }
    return s.substr(b, s.find_last_not_of(blanks) - b + 1);
}

/// Whether `iss >> T` reads the whole string (ns-3's attribute helpers abort otherwise).
template <typename T>
bool
ParsesWhole(const std::string& s)
{
    std::istringstream iss(s);
    T v;
    iss >> v;
    return !iss.fail() && iss.eof();
}

/**
 * Check that ns-3 can deserialize `s` for `checker` without aborting.
 *
 * ns-3.37's string conversions assume well-formed input: the attribute
 * helpers abort when a value is not read to its end, Time and TypeId names
 * are not checked, an unknown enum name is undefined behaviour. Returns
 * an error message, "" if the string is safe to hand to ns-3.
 */
std::string
UnsafeString(Ptr<const AttributeChecker> checker, const std::string& s, int depth = 0)
{
    const std::string type = checker->GetValueTypeName();
    if (s.empty() && type != "ns3::StringValue")
    {
        return "empty value";
    }
    if (type == "ns3::StringValue" || type == "ns3::BooleanValue")
    {
        return ""; // never aborts (BooleanValue refuses what it does not know)
    }
    if (type == "ns3::UintegerValue")
    {
        return (s[0] != '-' && ParsesWhole<uint64_t>(s)) ? "" : "not an unsigned integer";
    }
    if (type == "ns3::IntegerValue")
    {
        return ParsesWhole<int64_t>(s) ? "" : "not an integer";
    }
    if (type == "ns3::DoubleValue")
    {
        return ParsesWhole<double>(s) ? "" : "not a number";
    }
    if (type == "ns3::TimeValue")
    {
        return IsTimeString(s) ? "" : "not a time (e.g. 1.5s, 10ms)";
    }
    if (type == "ns3::EnumValue")
    {
        std::string names = checker->GetUnderlyingTypeInformation();
        std::stringstream ss(names);
        std::string name;
        while (std::getline(ss, name, '|'))
        {
            if (name == s)
            {
                return "";
            }
        }
        return "not one of " + names;
    }
    if (type == "ns3::Ipv4AddressValue")
    {
        in_addr addr{};
        return inet_pton(AF_INET, s.c_str(), &addr) == 1 ? "" : "not an IPv4 address";
    }
    if (s.find_first_of(" \t\r\n\f\v") != std::string::npos)
    {
        return "blanks inside the value";
    }
    if (type == "ns3::PointerValue" || type == "ns3::ObjectFactoryValue")
    {
        // "ns3::Type" or "ns3::Type[Name=value|Name=value]", as ObjectFactory reads it.
        std::string::size_type lb = s.find('[');
        std::string::size_type rb = s.find(']');
        TypeId tid;
        if (!TypeId::LookupByNameFailSafe(s.substr(0, lb), &tid))
        {
            return "'" + s.substr(0, lb) + "' does not name a TypeId";
        }
        if (lb == std::string::npos && rb == std::string::npos)
        {
            return "";
        }
        if (lb == std::string::npos || rb != s.size() - 1 || depth > 4)
        {
            return "malformed object description";
        }
        std::string params = s.substr(lb + 1, rb - lb - 1);
        std::stringstream ss(params);
        std::string item;
        while (std::getline(ss, item, '|'))
        {
            std::string::size_type eq = item.find('=');
            if (eq == std::string::npos)
            {
                return "malformed object description";
            }
            TypeId::AttributeInformation info;
            if (!tid.LookupAttributeByName(item.substr(0, eq), &info))
            {
                return "no attribute '" + item.substr(0, eq) + "' in " + tid.GetName();
            }
            std::string why = UnsafeString(info.checker, item.substr(eq + 1), depth + 1);
            if (!why.empty())
            {
                return item.substr(0, eq) + ": " + why;
            }
        }
        return "";
    }
    return "";
}

/// Parse a value given as a string for a checker, refusing what ns-3 would abort on.
Ptr<AttributeValue>
FromString(Ptr<const AttributeChecker> checker, const std::string& text, const std::string& what)
{
    std::string s = Trim(text);
    if (checker->GetValueTypeName() == "ns3::AddressValue")
    {
        Ptr<AttributeValue> v = Create<AddressValue>(ToAddress(py::str(s)));
        if (!checker->Check(*v))
        {
            throw py::value_error("invalid value for " + what + ": '" + text + "'");
        }
        return v;
    }
    std::string why = UnsafeString(checker, s);
    if (!why.empty())
    {
        throw py::value_error("invalid value for " + what + ": '" + text + "' (" + why + ")");
    }
    Ptr<AttributeValue> v = checker->CreateValidValue(StringValue(s));
    if (!v)
    {
        throw py::value_error("invalid value for " + what + ": '" + text + "'");
    }
    return v;
}
} // namespace

Ptr<AttributeValue>
MakeAttributeValue(Ptr<const AttributeChecker> checker, py::handle value, const std::string& what)
{
    std::string type = checker->GetValueTypeName();
    Ptr<AttributeValue> v;
    if (py::isinstance<py::bool_>(value))
    {
        bool b = value.cast<bool>();
        if (type == "ns3::BooleanValue")
        {
            v = Create<BooleanValue>(b);
        }
        else
        {
            return FromString(checker, b ? "true" : "false", what);
        }
    }
    else if (py::isinstance<py::int_>(value))
    {
        if (type == "ns3::UintegerValue")
        {
            if (value.cast<py::int_>() < py::int_(0))
            {
                throw py::value_error("invalid value for " + what + ": negative");
            }
            v = Create<UintegerValue>(value.cast<uint64_t>());
        }
        else if (type == "ns3::IntegerValue")
        {
            v = Create<IntegerValue>(value.cast<int64_t>());
        }
        else if (type == "ns3::DoubleValue")
        {
            v = Create<DoubleValue>(value.cast<double>());
        }
        else if (type == "ns3::EnumValue")
        {
            v = Create<EnumValue>(value.cast<int>());
        }
        else if (type == "ns3::BooleanValue")
        {
            v = Create<BooleanValue>(value.cast<int64_t>() != 0);
        }
        else
        {
            return FromString(checker, py::str(value).cast<std::string>(), what);
        }
    }
    else if (py::isinstance<py::float_>(value))
    {
        if (type == "ns3::DoubleValue")
        {
            v = Create<DoubleValue>(value.cast<double>());
        }
        else
        {
            return FromString(checker, py::repr(value).cast<std::string>(), what);
        }
    }
    else if (py::isinstance<py::str>(value))
    {
        return FromString(checker, value.cast<std::string>(), what);
    }
    else if (py::isinstance<Time>(value))
    {
        v = Create<TimeValue>(value.cast<Time>());
    }
    else if (py::isinstance<DataRate>(value))
    {
        v = Create<DataRateValue>(value.cast<DataRate>());
    }
    else if (py::isinstance<TypeId>(value))
    {
        v = Create<TypeIdValue>(value.cast<TypeId>());
    }
    else if (py::isinstance<Ipv4Address>(value) && type == "ns3::Ipv4AddressValue")
    {
        v = Create<Ipv4AddressValue>(value.cast<Ipv4Address>());
    }
    else if (py::isinstance<Ipv4Mask>(value))
    {
        v = Create<Ipv4MaskValue>(value.cast<Ipv4Mask>());
    }
    else if (py::isinstance<Object>(value))
    {
        v = Create<PointerValue>(value.cast<Ptr<Object>>());
    }
    else if (type == "ns3::AddressValue")
    {
        v = Create<AddressValue>(ToAddress(value));
    }
    else if (py::isinstance<Ipv4Address>(value))
    {
        v = Create<Ipv4AddressValue>(value.cast<Ipv4Address>());
    }
    else
    {
        throw py::type_error("cannot convert a " +
                             std::string(py::str(py::type::of(value).attr("__name__"))) + " to " +
                             type + " for " + what);
    }
    Ptr<AttributeValue> valid = checker->CreateValidValue(*v);
    if (!valid)
    {
        throw py::value_error("invalid value for " + what + ": " +
                              py::repr(value).cast<std::string>());
    }
    return valid;
}

Ptr<AttributeValue>
MakeAttributeValue(TypeId tid, const std::string& name, py::handle value)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info))
    {
        throw py::value_error("attribute '" + name + "' not found in " + tid.GetName());
    }
    return MakeAttributeValue(info.checker, value, tid.GetName() + "::" + name);
}

py::object
AttributeToPy(const AttributeValue& value, Ptr<const AttributeChecker> checker)
{
    if (auto b = dynamic_cast<const BooleanValue*>(&value))
    {
        return py::bool_(b->Get());
    }
    if (auto u = dynamic_cast<const UintegerValue*>(&value))
    {
        return py::int_(u->Get());
    }
    if (auto i = dynamic_cast<const IntegerValue*>(&value))
    {
        return py::int_(i->Get());
    }
    if (auto d = dynamic_cast<const DoubleValue*>(&value))
    {
        return py::float_(d->Get());
    }
    if (auto s = dynamic_cast<const StringValue*>(&value))
    {
        return py::str(s->Get());
    }
    if (auto t = dynamic_cast<const TimeValue*>(&value))
    {
        return py::cast(t->Get());
    }
    if (auto r = dynamic_cast<const DataRateValue*>(&value))
    {
        return py::cast(r->Get());
    }
    if (auto a = dynamic_cast<const Ipv4AddressValue*>(&value))
    {
        return py::cast(a->Get());
    }
    if (auto a = dynamic_cast<const AddressValue*>(&value))
    {
        return AddressToPy(a->Get());
    }
    if (auto p = dynamic_cast<const PointerValue*>(&value))
    {
        Ptr<Object> o = p->GetObject();
        return o ? py::cast(o) : py::none();
    }
    if (auto t = dynamic_cast<const TypeIdValue*>(&value))
    {
        return py::cast(t->Get());
    }
    // EnumValue and the rest: the string ns-3 would print (an enum's name).
    return py::str(value.SerializeToString(checker));
}

// --- socket errors ------------------------------------------------------------

std::string
SocketErrnoName(Socket::SocketErrno err)
{
    switch (err)
    {
    case Socket::ERROR_NOTERROR:
        return "ERROR_NOTERROR";
    case Socket::ERROR_ISCONN:
        return "ERROR_ISCONN";
    case Socket::ERROR_NOTCONN:
        return "ERROR_NOTCONN";
    case Socket::ERROR_MSGSIZE:
        return "ERROR_MSGSIZE";
    case Socket::ERROR_AGAIN:
        return "ERROR_AGAIN";
    case Socket::ERROR_SHUTDOWN:
        return "ERROR_SHUTDOWN";
    case Socket::ERROR_OPNOTSUPP:
        return "ERROR_OPNOTSUPP";
    case Socket::ERROR_AFNOSUPPORT:
        return "ERROR_AFNOSUPPORT";
    case Socket::ERROR_INVAL:
        return "ERROR_INVAL";
    case Socket::ERROR_BADF:
        return "ERROR_BADF";
    case Socket::ERROR_NOROUTETOHOST:
        return "ERROR_NOROUTETOHOST";
    case Socket::ERROR_NODEV:
        return "ERROR_NODEV";
    case Socket::ERROR_ADDRNOTAVAIL:
        return "ERROR_ADDRNOTAVAIL";
    case Socket::ERROR_ADDRINUSE:
        return "ERROR_ADDRINUSE";
    default:
        return "SOCKET_ERRNO_LAST";
    }
}

void
RaiseSocketError(Socket::SocketErrno err)
{
    int code = 0;
    switch (err)
    {
    case Socket::ERROR_ISCONN:
        code = EISCONN;
        break;
    case Socket::ERROR_NOTCONN:
        code = ENOTCONN;
        break;
    case Socket::ERROR_MSGSIZE:
        code = EMSGSIZE;
        break;
    case Socket::ERROR_AGAIN:
        code = EAGAIN;
        break;
    case Socket::ERROR_SHUTDOWN:
        code = ESHUTDOWN;
        break;
    case Socket::ERROR_OPNOTSUPP:
        code = EOPNOTSUPP;
        break;
    case Socket::ERROR_AFNOSUPPORT:
        code = EAFNOSUPPORT;
        break;
    case Socket::ERROR_INVAL:
        code = EINVAL;
        break;
    case Socket::ERROR_BADF:
        code = EBADF;
        break;
    case Socket::ERROR_NOROUTETOHOST:
        code = EHOSTUNREACH;
        break;
    case Socket::ERROR_NODEV:
        code = ENODEV;
        break;
    case Socket::ERROR_ADDRNOTAVAIL:
        code = EADDRNOTAVAIL;
        break;
    case Socket::ERROR_ADDRINUSE:
        code = EADDRINUSE;
        break;
    default:
        code = EIO;
        break;
    }
    std::string name = SocketErrnoName(err);
    // OSError(errno, strerror) picks the matching subclass (BlockingIOError, ...).
    py::object exc = py::reinterpret_borrow<py::object>(PyExc_OSError)(code, name);
    exc.attr("ns3_error") = name;
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    throw py::error_already_set();
}

} // namespace ns3py
