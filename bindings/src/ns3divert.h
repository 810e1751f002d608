/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared declarations of the pybind11 bindings of the divert module: the
// ns3::Ptr holder, Python callables held by ns-3 callbacks, attribute values
// built from Python values, and the conversions used by every binding unit.

#ifndef NS3DIVERT_BINDINGS_H
#define NS3DIVERT_BINDINGS_H

#include "ns3/address.h"
#include "ns3/attribute.h"
#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"
#include "ns3/socket.h"
#include "ns3/type-id.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <string>
#include <typeinfo>
#include <utility>

// ns-3's Ptr<T> is an intrusive reference-counted pointer: a holder can be
// rebuilt from a raw pointer at any time, hence `true`.
PYBIND11_DECLARE_HOLDER_TYPE(T, ns3::Ptr<T>, true)

namespace pybind11
{
namespace detail
{
/// pybind11 reads a holder's pointer with get(); ns3::Ptr has PeekPointer
/// (GetPointer would add a reference that nobody releases).
template <typename T>
struct holder_helper<ns3::Ptr<T>>
{
    static T* get(const ns3::Ptr<T>& p)
    {
        return ns3::PeekPointer(p);
    }
};
} // namespace detail
} // namespace pybind11

namespace ns3py
{
/// Pointer to the C subobject of an ns3::Object, or nullptr.
using ObjectCaster = const void* (*)(const ns3::Object*);

/**
 * Record that the Python class of C++ class `type` stands for TypeId `tid`.
 * \param tid the TypeId
 * \param type the C++ class
 * \param caster dynamic_cast to the class
 */
void RegisterObjectTypeImpl(ns3::TypeId tid, const std::type_info* type, ObjectCaster caster);

/**
 * The nearest bound class of an object, walking its TypeId's parents.
 * \param src the object
 * \param type set to the class
 * \return the pointer to that class's subobject, src if none is bound
 */
const void* FindBoundBase(const ns3::Object* src, const std::type_info*& type);

/// Register the Python class of C (call after binding it).
template <typename C>
void
RegisterObjectType()
{
    RegisterObjectTypeImpl(C::GetTypeId(), &typeid(C), [](const ns3::Object* o) -> const void* {
        return static_cast<const void*>(dynamic_cast<const C*>(o));
    });
}
} // namespace ns3py

namespace pybind11
{
/**
 * An ns-3 object reaches Python as its nearest bound class: a
 * UniformRandomVariable created through CreateObject is a
 * RandomVariableStream, an OnOffApplication an Application. (pybind11's
 * default only looks at the most derived C++ class, then falls back to the
 * static type, often Object.)
 */
template <typename itype>
struct polymorphic_type_hook<itype, detail::enable_if_t<std::is_base_of<ns3::Object, itype>::value>>
{
    static const void* get(const itype* src, const std::type_info*& type)
    {
        if (src == nullptr)
        {
            type = nullptr;
            return src;
        }
        type = &typeid(*src);
        if (detail::get_type_info(*type) != nullptr)
        {
            return dynamic_cast<const void*>(src);
        }
        const void* p = ns3py::FindBoundBase(src, type);
        return p != nullptr ? p : src;
    }
};
} // namespace pybind11

namespace ns3py
{

namespace py = pybind11;

/**
 * A Python callable held by an ns-3 callback.
 *
 * Every live holder is registered, so that Simulator.Destroy() can drop
 * the Python references held by the simulation (a callable that refers to
 * the object it is attached to would otherwise form a cycle through C++
 * that Python's garbage collector cannot see).
 */
class PyCallable : public ns3::SimpleRefCount<PyCallable>
{
  public:
    /**
     * \param fn the callable (a new reference is taken)
     */
    explicit PyCallable(py::object fn);
    ~PyCallable();
    PyCallable(const PyCallable&) = delete;
    PyCallable& operator=(const PyCallable&) = delete;

    /// \return whether the callable is still held
    bool IsAlive() const
    {
        return m_fn != nullptr;
    }

    /// \return a new reference to the callable (GIL held)
    py::object Get() const
    {
        return py::reinterpret_borrow<py::object>(m_fn);
    }

    /// Release every registered callable (GIL held).
    static void ReleaseAll();
    /// \return how many callables are held now
    static std::size_t GetLiveCount();

  private:
    PyObject* m_fn; //!< owned reference, nullptr once released
};

/**
 * Report an exception raised by a Python callable called from ns-3.
 *
 * The first error is kept and later callbacks are skipped until it is
 * raised: by Simulator.Run() when it returns (the simulator is stopped at
 * once), or, for a callback that ran during a call made outside Run()
 * (a socket send, Simulator.Destroy), by that call when ns-3 returns.
 * The exception never crosses ns-3's own frames.
 * \param e the error (GIL held)
 */
void HandleCallbackError(py::error_already_set& e);

/// \return true while an error waits to be raised
bool HasPendingError();

/// Raise the error a callback left, if any (bindings call it after ns-3 returns).
void RaisePendingError();

/// Simulator.Run() bookkeeping: mark the run as started.
void BeginRun();
/// Simulator.Run() bookkeeping: the run ended; raise a pending error.
void EndRun();

// --- conversions C++ -> Python, for callback arguments -------------------

/// Generic: a registered type or a builtin.
template <typename T>
py::object
ToPy(const T& value)
{
    return py::cast(value);
}

/**
 * A packet handed to Python is a copy (copy-on-write, cheap), so that a
 * Python trace sink cannot change a packet still travelling in ns-3.
 * \param p the packet
 * \return a Packet, or None
 */
py::object ToPy(const ns3::Ptr<const ns3::Packet>& p);
/// \copydoc ToPy(const ns3::Ptr<const ns3::Packet>&)
py::object ToPy(const ns3::Ptr<ns3::Packet>& p);

/**
 * An address as Python sees it: (host, port) for socket addresses, a
 * dotted string for an Ipv4Address, an Address object otherwise.
 * \param a the address
 * \return the Python value
 */
py::object AddressToPy(const ns3::Address& a);
/// \copydoc AddressToPy
py::object ToPy(const ns3::Address& a);

// --- conversions Python -> C++ -------------------------------------------

/**
 * An Ipv4Address from an Ipv4Address object or a dotted string.
 * \param o the Python value
 * \return the address; raises ValueError/TypeError otherwise
 */
ns3::Ipv4Address ToIpv4Address(py::handle o);

/**
 * Parse a dotted IPv4 address strictly.
 * \param s the text
 * \return the address; raises ValueError if it is not one
 */
ns3::Ipv4Address ParseIpv4(const std::string& s);

/**
 * An Address from (host, port), an InetSocketAddress, an Ipv4Address, a
 * dotted string or an Address.
 * \param o the Python value
 * \return the address; raises TypeError otherwise
 */
ns3::Address ToAddress(py::handle o);

/**
 * A packet from a Packet, bytes, bytearray or memoryview (or any object
 * with a buffer), e.g. scapy's bytes(pkt).
 * \param o the Python value
 * \return a packet that may be changed (a copy of a Packet argument)
 */
ns3::Ptr<ns3::Packet> ToPacket(py::handle o);

/**
 * The bytes of a packet.
 * \param p the packet
 * \return its bytes
 */
py::bytes PacketBytes(const ns3::Ptr<const ns3::Packet>& p);

// --- attributes -----------------------------------------------------------

/**
 * An attribute value for a checker from a Python value: bool, int and
 * float become BooleanValue, UintegerValue, IntegerValue, DoubleValue or
 * EnumValue as the checker asks; str becomes a StringValue, which ns-3
 * converts; Time, DataRate, addresses and ns-3 objects are recognised.
 * The value is checked: ValueError if the checker refuses it.
 * \param checker the attribute's checker
 * \param value the Python value
 * \param what name used in error messages
 * \return a value the checker accepts
 */
ns3::Ptr<ns3::AttributeValue> MakeAttributeValue(ns3::Ptr<const ns3::AttributeChecker> checker,
                                                 py::handle value,
                                                 const std::string& what);

/**
 * Look an attribute up on a TypeId and its parents, raising ValueError
 * (never aborting) when it does not exist, and convert the value.
 * \param tid the TypeId
 * \param name the attribute name
 * \param value the Python value
 * \return the checked value
 */
ns3::Ptr<ns3::AttributeValue> MakeAttributeValue(ns3::TypeId tid,
                                                 const std::string& name,
                                                 py::handle value);

/**
 * Convert an attribute value to a natural Python value.
 * \param value the value
 * \param checker its checker
 * \return bool, int, float, str, Time, ... or the serialized string
 */
py::object AttributeToPy(const ns3::AttributeValue& value,
                         ns3::Ptr<const ns3::AttributeChecker> checker);

/**
 * TypeId by name, raising ValueError when unknown.
 * \param name the TypeId name, e.g. "ns3::UdpSocketFactory"
 * \return the TypeId
 */
ns3::TypeId LookupTypeId(const std::string& name);

/**
 * A TypeId from a TypeId object or a name.
 * \param o the Python value
 * \return the TypeId
 */
ns3::TypeId ToTypeId(py::handle o);

/**
 * Raise OSError(errno, "ERROR_...") for a socket error; the exception's
 * ns3_error attribute is the error name too.
 * \param err the error
 */
[[noreturn]] void RaiseSocketError(ns3::Socket::SocketErrno err);

/**
 * Name of a socket error.
 * \param err the error
 * \return "ERROR_INVAL", ...
 */
std::string SocketErrnoName(ns3::Socket::SocketErrno err);

// --- callbacks ---------------------------------------------------------

/**
 * Call a Python callable with the converted arguments, handling the GIL
 * and errors; does nothing after the callable was released or while an
 * error waits to be raised.
 * \param h the callable
 * \param args the C++ arguments
 */
template <typename... A>
void
InvokeVoid(const ns3::Ptr<PyCallable>& h, const A&... args)
{
    py::gil_scoped_acquire gil;
    if (!h->IsAlive() || HasPendingError())
    {
        return;
    }
    try
    {
        h->Get()(ToPy(args)...);
    }
    catch (py::error_already_set& e)
    {
        HandleCallbackError(e);
    }
    catch (py::builtin_exception& e) // e.g. a failed conversion of an argument
    {
        e.set_error();
        py::error_already_set err;
        HandleCallbackError(err);
    }
}

/**
 * An ns-3 callback returning void that calls a Python callable.
 * \param fn the callable
 * \return the callback
 */
template <typename... A>
ns3::Callback<void, A...>
MakeVoidCallback(py::object fn)
{
    ns3::Ptr<PyCallable> h = ns3::Create<PyCallable>(std::move(fn));
    return ns3::Callback<void, A...>([h](A... args) { InvokeVoid<A...>(h, args...); });
}

/**
 * Connect a Python callable to a trace source, picking the C++ signature
 * from the trace source's declared callback type.
 * \param object the object
 * \param name the trace source name
 * \param fn the callable
 * \param context with a context: the callable receives it first
 * \param withContext whether to pass a context
 * \return true if connected
 */
bool TraceConnectPy(ns3::Ptr<ns3::Object> object,
                    const std::string& name,
                    py::object fn,
                    const std::string& context,
                    bool withContext);

/// \return the trace callback signatures (ns-3 type names) that Python may connect to
std::vector<std::string> SupportedTraceSignatures();

// --- binding units (one translation unit each) --------------------------

void BindCore(py::module_& m);
void BindNetwork(py::module_& m);
void BindInternet(py::module_& m);
void BindHelpers(py::module_& m);
void BindDivert(py::module_& m);
void BindTraces(py::module_& m);

} // namespace ns3py

#endif /* NS3DIVERT_BINDINGS_H */
