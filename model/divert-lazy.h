/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_LAZY_H
#define DIVERT_LAZY_H

#include "ns3/assert.h"
#include "ns3/attribute.h"
#include "ns3/object.h"
#include "ns3/simple-ref-count.h"
#include "ns3/traced-callback.h"
#include "ns3/type-id.h"

#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup divert
 * \brief A standard container that takes one pointer and allocates nothing
 * until it is first changed.
 *
 * What a divert node keeps but seldom uses (divert ports, the diversion
 * table, ...) sits in these, so that a node that never uses them costs
 * little: a std::deque alone takes 80 bytes and allocates 576 more when
 * it is constructed; a std::map takes 48.
 *
 * Only the operations the divert stack uses are given; each does what the
 * container's own does. Before the first change, reading (begin, end, find,
 * size) reads one empty container shared by all, so an iterator read then
 * must not be used after the first change (as after any change that
 * invalidates iterators). clear() frees everything.
 *
 * \tparam C the container type
 */
template <typename C>
class LazyContainer
{
  public:
    using iterator = typename C::iterator;             //!< iterator
    using const_iterator = typename C::const_iterator; //!< const iterator
    using size_type = typename C::size_type;           //!< size type

    LazyContainer() = default;
    /// Not copied: the members that use it belong to one object.
    LazyContainer(const LazyContainer&) = delete;
    /// Not copied.
    /// \return this
    LazyContainer& operator=(const LazyContainer&) = delete;

    /// \return an iterator to the first element
    iterator begin()
    {
        return Data().begin();
    }

    /// \return the end iterator
    iterator end()
    {
        return Data().end();
    }

    /// \return an iterator to the first element
    const_iterator begin() const
    {
        return Data().begin();
    }

    /// \return the end iterator
    const_iterator end() const
    {
        return Data().end();
    }

    /// \return the number of elements
    size_type size() const
    {
        return m_c ? m_c->size() : 0;
    }

    /// \return true if there is no element
    bool empty() const
    {
        return !m_c || m_c->empty();
    }

    /**
     * \brief Find a key (associative containers).
     * \tparam K the key type
     * \param key the key
     * \return as the container's find
     */
    template <typename K>
    iterator find(const K& key)
    {
        return Data().find(key);
    }

    /**
     * \brief Find a key (associative containers).
     * \tparam K the key type
     * \param key the key
     * \return as the container's find
     */
    template <typename K>
    const_iterator find(const K& key) const
    {
        return Data().find(key);
    }

    /// \return the first element (there must be one)
    decltype(auto) front()
    {
        NS_ASSERT(m_c);
        return m_c->front();
    }

    /**
     * \brief Element access, as the container's operator[] (a map inserts).
     * \tparam K the key or index type
     * \param key the key or index
     * \return the element
     */
    template <typename K>
    decltype(auto) operator[](const K& key)
    {
        return Made()[key];
    }

    /**
     * \brief Element access, as the container's operator[] (not for maps).
     * \tparam K the index type
     * \param index the index (there must be such an element)
     * \return the element
     */
    template <typename K>
    decltype(auto) operator[](const K& index) const
    {
        NS_ASSERT(m_c);
        return (*static_cast<const C*>(m_c.get()))[index];
    }

    /**
     * \brief Append an element.
     * \tparam A the argument types
     * \param args the element, or its constructor's arguments
     */
    template <typename... A>
    void push_back(A&&... args)
    {
        Made().push_back(std::forward<A>(args)...);
    }

    /**
     * \brief Append an element made in place.
     * \tparam A the argument types
     * \param args its constructor's arguments
     */
    template <typename... A>
    void emplace_back(A&&... args)
    {
        Made().emplace_back(std::forward<A>(args)...);
    }

    /// Remove the first element (there must be one).
    void pop_front()
    {
        NS_ASSERT(m_c);
        m_c->pop_front();
    }

    /**
     * \brief Erase, as the container's erase (by key, by iterator).
     * \tparam A the argument types
     * \param args the key or the iterator(s)
     * \return as the container's erase
     */
    template <typename... A>
    decltype(auto) erase(A&&... args)
    {
        return Made().erase(std::forward<A>(args)...);
    }

    /**
     * \brief Remove every element equal to a value (lists).
     * \tparam V the value type
     * \param value the value
     */
    template <typename V>
    void remove(const V& value)
    {
        if (m_c)
        {
            m_c->remove(value);
        }
    }

    /**
     * \brief Resize (sequences).
     * \tparam A the argument types
     * \param args the new size, and the value of new elements
     */
    template <typename... A>
    void resize(A&&... args)
    {
        Made().resize(std::forward<A>(args)...);
    }

    /// Remove every element and free the memory.
    void clear()
    {
        m_c.reset();
    }

  private:
    /// \return the container, or the shared empty one
    C& Data()
    {
        return m_c ? *m_c : Empty();
    }

    /// \return the container, or the shared empty one
    const C& Data() const
    {
        return m_c ? *m_c : Empty();
    }

    /// \return the container, made if it was not
    C& Made()
    {
        if (!m_c)
        {
            m_c = std::make_unique<C>();
        }
        return *m_c;
    }

    /// \return the empty container read before the first change (never changed)
    static C& Empty()
    {
        static C empty;
        return empty;
    }

    std::unique_ptr<C> m_c; //!< the container, null until first changed
};

/**
 * \ingroup divert
 * \brief A value that takes one pointer and is allocated when first
 * written; until then it reads as a value-initialized T.
 *
 * For counters that most nodes never move.
 *
 * \tparam T the value type
 */
template <typename T>
class LazyValue
{
  public:
    LazyValue() = default;
    /// Not copied: the members that use it belong to one object.
    LazyValue(const LazyValue&) = delete;
    /// Not copied.
    /// \return this
    LazyValue& operator=(const LazyValue&) = delete;

    /// \return the value, allocated (value-initialized) if it was not
    T* operator->()
    {
        if (!m_value)
        {
            m_value = std::make_unique<T>();
        }
        return m_value.get();
    }

    /// \return the value, or a value-initialized one if it was never written
    const T& operator*() const
    {
        static const T s_initial{};
        return m_value ? *m_value : s_initial;
    }

    /// Forget the value (it reads as value-initialized again) and free it.
    void reset()
    {
        m_value.reset();
    }

  private:
    std::unique_ptr<T> m_value; //!< null until first written
};

/**
 * \ingroup divert
 * \brief A TracedCallback that takes one pointer and allocates nothing until
 * a sink is connected.
 *
 * A drop-in for TracedCallback as a trace source member
 * (MakeTraceSourceAccessor works with it): a TracedCallback is a std::list,
 * 24 bytes on every object whether or not anyone listens.
 *
 * \tparam Ts the arguments of the sinks
 */
template <typename... Ts>
class LazyTracedCallback
{
  public:
    LazyTracedCallback() = default;
    /// Not copied, as a TracedCallback member is not.
    LazyTracedCallback(const LazyTracedCallback&) = delete;
    /// Not copied.
    /// \return this
    LazyTracedCallback& operator=(const LazyTracedCallback&) = delete;

    /**
     * \brief Connect a sink without context.
     * \param callback the sink
     */
    void ConnectWithoutContext(const CallbackBase& callback)
    {
        Made().ConnectWithoutContext(callback);
    }

    /**
     * \brief Connect a sink with a context.
     * \param callback the sink
     * \param path the context
     */
    void Connect(const CallbackBase& callback, std::string path)
    {
        Made().Connect(callback, path);
    }

    /**
     * \brief Disconnect a sink connected without context.
     * \param callback the sink
     */
    void DisconnectWithoutContext(const CallbackBase& callback)
    {
        if (m_trace)
        {
            m_trace->DisconnectWithoutContext(callback);
        }
    }

    /**
     * \brief Disconnect a sink connected with a context.
     * \param callback the sink
     * \param path the context
     */
    void Disconnect(const CallbackBase& callback, std::string path)
    {
        if (m_trace)
        {
            m_trace->Disconnect(callback, path);
        }
    }

    /**
     * \brief Call every sink.
     * \param args the arguments
     */
    void operator()(Ts... args) const
    {
        if (m_trace)
        {
            (*m_trace)(args...);
        }
    }

    /// \return true if no sink is connected
    bool IsEmpty() const
    {
        return !m_trace || m_trace->IsEmpty();
    }

  private:
    /// \return the TracedCallback, made if it was not
    TracedCallback<Ts...>& Made()
    {
        if (!m_trace)
        {
            m_trace = std::make_unique<TracedCallback<Ts...>>();
        }
        return *m_trace;
    }

    std::unique_ptr<TracedCallback<Ts...>> m_trace; //!< null until a sink connects
};

/**
 * \ingroup divert
 * \brief The attribute defaults (Config::SetDefault) of some types as they
 * were at one moment, for an object that makes such objects on first use
 * rather than when it is made itself.
 *
 * An object made on first use gets the defaults that were in force when
 * its owner was made, as if it had been made then: a Config::SetDefault
 * between the two does not reach it, as it would not have. Owners made
 * while the defaults stay the same share one snapshot, so each owner pays
 * one pointer.
 */
class LazyDefaults : public SimpleRefCount<LazyDefaults>
{
  public:
    /**
     * \brief The defaults in force now.
     * \param types the types (with their parents) whose defaults count
     * \return a snapshot, the same one as the last call's while no default
     *         of these types changed
     */
    static Ptr<const LazyDefaults> Now(std::initializer_list<TypeId> types);

    /**
     * \brief Make an object with the defaults of the snapshot.
     * \tparam T its type, one of those of the snapshot
     * \return the object, as CreateObject<T>() would have made it then
     */
    template <typename T>
    Ptr<T> Create() const
    {
        return DynamicCast<T>(Create(T::GetTypeId()));
    }

    /**
     * \brief Make an object with the defaults of the snapshot.
     * \param tid its type, one of those of the snapshot
     * \return the object
     */
    Ptr<Object> Create(TypeId tid) const;

  private:
    /// The default of one attribute.
    struct Entry
    {
        TypeId tid;                      //!< the type declaring it
        std::size_t index;               //!< its index in that type
        Ptr<const AttributeValue> value; //!< its default then
    };

    /**
     * \return true if no default of the snapshot's types changed since it
     *         was taken
     */
    bool IsCurrent() const;

    std::vector<TypeId> m_types;  //!< the types asked for
    std::vector<Entry> m_entries; //!< their attributes and those of their parents
};

} // namespace ns3

#endif /* DIVERT_LAZY_H */
